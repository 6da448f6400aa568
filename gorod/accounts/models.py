from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gorod.core.content import ContentCharField


class AccountLevel(models.TextChoices):
    """How far a resident's identity is confirmed; decides what they may do and earn."""

    SIMPLIFIED = "simplified", _("simplified")
    STANDARD = "standard", _("standard")
    FULL = "full", _("full")

    @classmethod
    def rank(cls, level: str) -> int:
        return [cls.SIMPLIFIED, cls.STANDARD, cls.FULL].index(cls(level))


class Okrug(models.Model):
    """An administrative okrug: the upper tier of the city's areas."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = ContentCharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("okrug")
        verbose_name_plural = _("okrugs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A district (raion) of an okrug, with its boundary as a GeoJSON polygon where known."""

    okrug = models.ForeignKey(
        Okrug, on_delete=models.PROTECT, related_name="districts", verbose_name=_("okrug")
    )
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = ContentCharField(_("name"), max_length=120)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Address(models.Model):
    text = ContentCharField(_("address"), max_length=255, unique=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="addresses", verbose_name=_("district")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["text"]

    def __str__(self) -> str:
        return self.text


class Resident(AbstractUser):
    """A person with a city account. Staff roles are Django groups on the same account."""

    email = models.EmailField(_("e-mail"), null=True, blank=True, unique=True)  # type: ignore[assignment]
    phone = models.CharField(_("phone"), max_length=16, null=True, blank=True, unique=True)
    level = models.CharField(
        _("account level"), max_length=16, choices=AccountLevel.choices, default=AccountLevel.SIMPLIFIED
    )
    home_district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home district"),
    )
    consents_to_notifications = models.BooleanField(_("consents to notifications"), default=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    # The version of the consent to processing of personal data the resident last gave (the
    # record is a ProcessingConsent row); kept here so that every page can compare it without a query.
    consent_version = models.CharField(_("consent version"), max_length=32, blank=True, default="")
    # The language the resident chose with the site's switch: e-mails and other messages sent to
    # them while they are away are written in it (empty: the site's default language).
    language = models.CharField(
        _("language"), max_length=8, blank=True, default="", choices=settings.LANGUAGES
    )

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def public_name(self) -> str:
        """How a resident who chose to be shown appears to everyone: first name and the initial
        of the last name ("Anna P."), never the full name, login or contacts."""
        if self.erased_at is not None or not self.first_name:
            return str(_("Resident"))
        initial = f" {self.last_name[0]}." if self.last_name else ""
        return f"{self.first_name}{initial}"


class LevelSource(models.TextChoices):
    """Where a level change came from."""

    OPERATOR = "operator", _("operator")
    PROVIDER = "provider", _("identity provider")


class LevelChange(models.Model):
    """Who moved a resident between account levels, when and why (kept for audit)."""

    source = models.CharField(
        _("source"), max_length=16, choices=LevelSource.choices, default=LevelSource.OPERATOR
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="level_changes", verbose_name=_("resident")
    )
    from_level = models.CharField(_("previous level"), max_length=16, choices=AccountLevel.choices)
    to_level = models.CharField(_("new level"), max_length=16, choices=AccountLevel.choices)
    changed_by = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    reason = models.CharField(_("reason"), max_length=255)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("level change")
        verbose_name_plural = _("level changes")
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.get_from_level_display()} → {self.get_to_level_display()}"


class ProviderIdentity(models.Model):
    """A resident's account at an OpenID provider (the city's identity system), linked to their one
    gorod account, and the level that provider last confirmed (re-read at each sign-in through it)
    with the claims it was read from: operators cannot raise a resident above it by hand."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="provider_identities", verbose_name=_("resident")
    )
    provider = models.CharField(_("provider"), max_length=40)
    subject = models.CharField(_("subject"), max_length=255)
    level = models.CharField(_("confirmed level"), max_length=16, choices=AccountLevel.choices)
    level_claims = models.JSONField(_("claims the level was read from"), default=dict, blank=True)
    level_confirmed_at = models.DateTimeField(_("level confirmed at"))
    linked_at = models.DateTimeField(_("linked at"))

    class Meta:
        verbose_name = _("identity at a provider")
        verbose_name_plural = _("identities at providers")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="provider_identity_unique_subject"),
            models.UniqueConstraint(
                fields=["resident", "provider"], name="provider_identity_one_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"


class ApiToken(models.Model):
    """A bearer token for /api/v1. Only its SHA-256 is stored; the token is shown once."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("resident")
    )
    name = ContentCharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "name"],
                condition=Q(revoked_at__isnull=True),
                name="api_token_name_unique_live",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditEntry(models.Model):
    """Every operator action: who, when, what, on which object, before and after."""

    actor = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type} {self.object_id}".strip()


class IdempotencyRecord(models.Model):
    """A state-changing API call made with an ``Idempotency-Key``: the key, who sent it, what was
    asked (method, path, body hash) and the answer, so that a retry gets the same answer instead
    of doing the thing twice. ``status`` is null while the first call is still running."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [models.UniqueConstraint(fields=["resident", "key"], name="idempotency_key_unique")]


class ProcessingConsent(models.Model):
    """A resident's consent to the processing of their personal data (152-FZ, article 9): the
    text they were shown, its version and when they agreed. A new version is asked for again."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    version = models.CharField(_("version"), max_length=32)
    text = models.TextField(_("text agreed to"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    given_at = models.DateTimeField(_("given at"))

    class Meta:
        verbose_name = _("consent to processing of personal data")
        verbose_name_plural = _("consents to processing of personal data")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "version"], name="processing_consent_once_per_version"
            )
        ]


class LevelRequestStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a check")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class LevelRequest(models.Model):
    """A request to move a resident to a higher account level: the identity document the resident
    named, and who checked it against the original, when, with what outcome and why. An
    operator changes a level only by deciding such a request (accounts/services_levels.py)."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="level_requests")
    to_level = models.CharField(_("requested level"), max_length=16, choices=AccountLevel.choices)
    document_kind = models.CharField(_("document"), max_length=16, choices=[("passport", _("passport"))])
    document_number = models.CharField(_("document number"), max_length=32)
    status = models.CharField(
        _("status"), max_length=16, choices=LevelRequestStatus.choices, default=LevelRequestStatus.PENDING
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    checked_by = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    change = models.OneToOneField(
        LevelChange, on_delete=models.PROTECT, null=True, blank=True, related_name="request"
    )

    class Meta:
        verbose_name = _("level request")
        verbose_name_plural = _("level requests")
        ordering = ["created_at", "pk"]
        constraints = [
            # One open request per resident: a second one would be checked twice.
            models.UniqueConstraint(
                fields=["resident"],
                condition=models.Q(status="pending"),
                name="accounts_one_pending_level_request",
            )
        ]

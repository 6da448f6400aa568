"""The points ledger: double-entry, integer, append-only.

Money moves from a *debit* account (points leave it) to a *credit* account (points arrive).
An account's materialised balance always equals the sum of its credits minus its debits;
``manage.py points_check`` proves it. Transfers are never updated or deleted: a correction is a
new transfer that ``reverses`` the original.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gorod.core.content import ContentCharField, ContentTextField
from gorod.core.fields import AppendOnlyIdField


class Programme(models.Model):
    """A city service's points programme, with its own issuance accounts and optional budget."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = ContentCharField(_("name"), max_length=120)
    description = ContentTextField(_("description"), blank=True)
    budget = models.BigIntegerField(
        _("budget"),
        null=True,
        blank=True,
        help_text=_("Most points the programme may issue; empty for no limit."),
    )
    # Only maintained for a programme with a budget, so unbudgeted issuance touches no hot row.
    budget_used = models.BigIntegerField(_("budget used"), default=0)
    ordering_weight = models.PositiveSmallIntegerField(_("sort weight"), default=100)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["ordering_weight", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget_used__lte=F("budget")),
                name="programme_within_budget",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AccountKind(models.TextChoices):
    WALLET = "wallet", _("resident wallet")
    ISSUANCE = "issuance", _("programme issuance")
    PARTNER = "partner", _("partner settlement")
    CHARITY = "charity", _("charity fund")
    EXPIRED = "expired", _("expired points")


class LedgerAccount(models.Model):
    # Unique by a constraint, not unique=True: on PostgreSQL the latter adds a second,
    # varchar_pattern_ops index for LIKE that nothing here uses but every insert would pay for.
    key = models.CharField(_("key"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=AccountKind.choices)
    resident = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wallet",
        verbose_name=_("resident"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("programme"),
    )
    name = ContentCharField(_("name"), max_length=160, blank=True)
    balance = models.BigIntegerField(_("balance"), default=0)
    held = models.BigIntegerField(_("held"), default=0)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            models.UniqueConstraint(fields=["key"], name="ledger_account_key_unique"),
            models.CheckConstraint(condition=Q(held__gte=0), name="ledger_account_held_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind="wallet") | Q(resident__isnull=False), name="ledger_wallet_has_resident"
            ),
        ]
        # The city's totals are the balances of the few accounts that are not wallets (the
        # ledger sums to zero, so the wallets hold the rest); this finds them without reading
        # every wallet. Kind never changes, so balance updates stay HOT on PostgreSQL.
        indexes = [models.Index(fields=["kind"], name="ledger_account_kind")]

    def __str__(self) -> str:
        return self.name or self.key

    @property
    def available(self) -> int:
        return self.balance - self.held


class CapPeriod(models.TextChoices):
    DAY = "day", _("per day")
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")
    LIFETIME = "lifetime", _("in total")
    SCOPE = "scope", _("per challenge or contest")


class Rounding(models.TextChoices):
    DOWN = "down", _("rounded down")


class EarningRule(models.Model):
    """What an action in a programme earns. Its terms live in versions; the newest one applies."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="rules", verbose_name=_("programme")
    )
    action = models.SlugField(_("action"), max_length=60)
    name = ContentCharField(_("name"), max_length=160)
    description = ContentTextField(_("what the resident does"), blank=True)

    class Meta:
        verbose_name = _("earning rule")
        verbose_name_plural = _("earning rules")
        ordering = ["programme__ordering_weight", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "action"], name="earning_rule_unique_action")
        ]

    def __str__(self) -> str:
        return f"{self.programme.code}:{self.action}"


class RuleVersion(models.Model):
    """One published version of an earning rule's terms. Versions are never edited."""

    rule = models.ForeignKey(
        EarningRule, on_delete=models.PROTECT, related_name="versions", verbose_name=_("earning rule")
    )
    number = models.PositiveIntegerField(_("version"))
    amount_simplified = models.PositiveIntegerField(_("points, simplified account"), default=0)
    amount_standard = models.PositiveIntegerField(_("points, standard account"), default=0)
    amount_full = models.PositiveIntegerField(_("points, full account"), default=0)
    percent_basis_points = models.PositiveIntegerField(
        _("percentage of the base amount, in hundredths of a percent"),
        null=True,
        blank=True,
        help_text=_("500 means 5%. When set, the per-level amounts are not used."),
    )
    rounding = models.CharField(_("rounding"), max_length=8, choices=Rounding.choices, default=Rounding.DOWN)
    cap_amount = models.PositiveIntegerField(_("cap per resident"), null=True, blank=True)
    cap_period = models.CharField(_("cap period"), max_length=10, choices=CapPeriod.choices, blank=True)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    expiry_days = models.PositiveIntegerField(_("points expire after (days)"), null=True, blank=True)
    note = models.CharField(_("why this version"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("earning rule version")
        verbose_name_plural = _("earning rule versions")
        ordering = ["rule", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "number"], name="rule_version_unique_number"),
            models.CheckConstraint(
                condition=Q(cap_amount__isnull=True) | ~Q(cap_period=""), name="rule_version_cap_has_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} v{self.number}"


class HoldStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    POSTED = "posted", _("posted")
    VOIDED = "voided", _("voided")
    EXPIRED = "expired", _("expired")


class Hold(models.Model):
    """Points set aside for a pending spend: counted out of ``available`` until posted or voided."""

    account = models.ForeignKey(
        LedgerAccount, on_delete=models.PROTECT, related_name="holds", verbose_name=_("ledger account")
    )
    amount = models.BigIntegerField(_("amount"))
    status = models.CharField(
        _("status"), max_length=8, choices=HoldStatus.choices, default=HoldStatus.ACTIVE
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    reason = models.CharField(_("reason"), max_length=40)
    source_key = models.CharField(_("source event"), max_length=120, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="hold_amount_positive")]
        indexes = [
            models.Index(fields=["expires_at"], condition=Q(status="active"), name="hold_active_expiry"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.amount} {self.reason}"


class Transfer(models.Model):
    # Transfers are never deleted (corrections are reversals), so no AUTOINCREMENT on SQLite.
    id = AppendOnlyIdField(_("ID"), primary_key=True)
    debit = models.ForeignKey(
        LedgerAccount, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("from")
    )
    credit = models.ForeignKey(
        LedgerAccount, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("to")
    )
    amount = models.BigIntegerField(_("amount"))
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("programme"),
    )
    reason = models.CharField(_("reason"), max_length=40)
    # Unique by a constraint (see LedgerAccount.key): one index, the one ON CONFLICT needs.
    source_key = models.CharField(_("source event"), max_length=120, null=True, blank=True)
    # The input the caller asked with (base amount or explicit amount): a replay must match it.
    basis = models.BigIntegerField(_("basis"), null=True, blank=True)
    rule_version = models.ForeignKey(
        RuleVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("rule version"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("actor"),
    )
    memo = ContentCharField(_("memo"), max_length=200, blank=True)
    # The memo as a message id with parameters ("Report #%(id)s"), shown in the reader's language
    # (gorod/core/messages.py); empty where the memo is plain text or was written before.
    memo_message = models.JSONField(_("memo"), null=True, blank=True)
    reverses = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        db_index=False,
        verbose_name=_("reverses"),
    )
    # At most one transfer posts a hold, unique only where set: a plain unique index (a one-to-one
    # field's) also stores every award's NULL, a page written at each commit for nothing (on
    # SQLite, where each page a commit writes costs its flush ~17 µs, that was ~1/8 of an award).
    hold = models.ForeignKey(
        Hold,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("hold"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(fields=["source_key"], name="transfer_source_key_unique"),
            models.UniqueConstraint(
                fields=["hold"], condition=Q(hold__isnull=False), name="transfer_hold_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="transfer_amount_positive"),
            models.CheckConstraint(condition=~Q(debit=F("credit")), name="transfer_distinct_accounts"),
        ]
        indexes = [
            models.Index(fields=["debit", "id"], name="transfer_debit_id"),
            models.Index(fields=["credit", "id"], name="transfer_credit_id"),
            models.Index(fields=["created_at"], name="transfer_created_at"),
            models.Index(fields=["reverses"], condition=Q(reverses__isnull=False), name="transfer_reverses"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.amount} {self.debit_id}→{self.credit_id}"


class Lot(models.Model):
    """Points earned under a rule with expiry; spending draws from the soonest-expiring lot first."""

    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="lots")
    transfer = models.OneToOneField(Transfer, on_delete=models.PROTECT, related_name="lot")
    remaining = models.BigIntegerField()
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(remaining__gte=0), name="lot_remaining_not_negative")
        ]
        indexes = [
            models.Index(
                fields=["account", "expires_at"], condition=Q(remaining__gt=0), name="lot_open_by_expiry"
            ),
            models.Index(fields=["expires_at"], condition=Q(remaining__gt=0), name="lot_open_expiry"),
        ]


class CapUsage(models.Model):
    """How much of a capped rule a resident has used in one period or scope."""

    account = models.ForeignKey(LedgerAccount, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(EarningRule, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=60)
    used = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "rule", "scope"], name="cap_usage_unique_scope"),
        ]


class DailyCheckpoint(models.Model):
    """A Merkle root over one city day's transfers, so totals can be audited later."""

    day = models.DateField(_("day"), unique=True)
    root = models.CharField(_("Merkle root"), max_length=64)
    transfer_count = models.PositiveIntegerField(_("number of transfers"))
    total_amount = models.BigIntegerField(_("total amount"))
    first_id = models.BigIntegerField(_("first transfer"), null=True)
    last_id = models.BigIntegerField(_("last transfer"), null=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("daily checkpoint")
        verbose_name_plural = _("daily checkpoints")
        ordering = ["-day"]

    def __str__(self) -> str:
        return self.day.isoformat()


class ProgrammeIssuance(models.Model):
    """Points a programme issued and took back by reversals, as of ``computed_at``.

    The public "how points work" page showed these as grouped sums over the whole ledger on
    every request (75 ms at 100k transfers, 365 ms at 1M, for anyone who asked); a periodic job
    recomputes them instead (``services.programme_issuance_refresh``) and the page says when.
    """

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, primary_key=True, related_name="+")
    issued = models.BigIntegerField(_("issued"), default=0)
    returned = models.BigIntegerField(_("taken back by reversals"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("programme issuance")
        verbose_name_plural = _("programme issuance")

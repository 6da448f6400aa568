"""Writes about residents: sign-up, profile, account levels, API tokens, the audit log."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from gorod.accounts import consent, permissions, roles, rules
from gorod.accounts.errors import (
    ConsentRequired,
    LevelConfirmedByProvider,
    LoginTaken,
    SameLevel,
    TokenNameTaken,
)
from gorod.accounts.models import (
    AccountLevel,
    ApiToken,
    AuditEntry,
    District,
    LevelChange,
    ProcessingConsent,
    ProviderIdentity,
    Resident,
)
from gorod.core.cache import shared_cache
from gorod.core.errors import NotFound, PermissionDenied


def audit_record(
    *,
    actor: Resident | None,
    action: str,
    target: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Record an operator action. Called inside the action's own transaction."""
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        object_type=target._meta.label if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        before=before,
        after=after,
        reason=reason[:255],
    )


@transaction.atomic
def resident_sign_up(
    *,
    username: str,
    password: str,
    email: str | None = None,
    phone: str | None = None,
    first_name: str = "",
    last_name: str = "",
    home_district: District | None = None,
    level: str = AccountLevel.SIMPLIFIED,
    processing_consent: bool = False,
) -> Resident:
    """Create an account; the resident must agree to the processing of their personal data,
    and the text they agreed to is recorded with its version."""
    phone = rules.normalise_phone(phone) if phone else None
    email = email.strip().lower() if email else None
    clash = Q(username__iexact=username)
    if email:
        clash |= Q(email__iexact=email)
    if phone:
        clash |= Q(phone=phone)
    if Resident.objects.filter(clash).exists():
        raise LoginTaken(field="username")
    if not processing_consent:
        raise ConsentRequired(field="consent")
    resident = Resident(
        username=username,
        email=email,
        phone=phone,
        first_name=first_name,
        last_name=last_name,
        home_district=home_district,
        level=level,
    )
    resident.set_password(password)
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError:
        raise LoginTaken(field="username") from None
    processing_consent_give(resident=resident)
    return resident


@transaction.atomic
def processing_consent_give(*, resident: Resident) -> ProcessingConsent:
    """Record that the resident agreed to the current consent text (as shown, in their language)."""
    record, _created = ProcessingConsent.objects.get_or_create(
        resident=resident,
        version=consent.CONSENT_VERSION,
        defaults={
            "text": str(consent.CONSENT_TEXT),
            "language": get_language() or "",
            "given_at": timezone.now(),
        },
    )
    Resident.objects.filter(pk=resident.pk).update(consent_version=consent.CONSENT_VERSION)
    resident.consent_version = consent.CONSENT_VERSION
    return record


@transaction.atomic
def resident_profile_update(
    *,
    resident: Resident,
    first_name: str,
    last_name: str,
    home_district: District | None,
    consents_to_notifications: bool,
) -> Resident:
    Resident.objects.filter(pk=resident.pk).update(
        first_name=first_name,
        last_name=last_name,
        home_district=home_district,
        consents_to_notifications=consents_to_notifications,
    )
    resident.refresh_from_db()
    return resident


@transaction.atomic
def resident_level_change(
    *, resident: Resident, level: str, actor: Resident | None, reason: str
) -> LevelChange:
    if actor is not None and not permissions.may_change_level(actor):
        raise PermissionDenied()
    current = Resident.objects.select_for_update().get(pk=resident.pk)
    new_level = AccountLevel(level)
    if current.level == new_level:
        raise SameLevel(field="level")
    provider_levels = ProviderIdentity.objects.filter(resident=current).values_list("level", flat=True)
    if not rules.manual_level_allowed(new_level, provider_levels):
        raise LevelConfirmedByProvider(field="level")
    change = LevelChange.objects.create(
        resident=current, from_level=current.level, to_level=new_level, changed_by=actor, reason=reason
    )
    Resident.objects.filter(pk=resident.pk).update(level=new_level)
    if actor is not None:
        audit_record(
            actor=actor,
            action="resident.level_change",
            target=current,
            before={"level": current.level},
            after={"level": new_level},
            reason=reason,
        )
    resident.level = new_level
    shared_cache.bump(shared_cache.ACCESS)
    return change


@transaction.atomic
def api_token_issue(*, resident: Resident, name: str) -> tuple[ApiToken, str]:
    """Create a token; the plain token is returned once and never stored."""
    plain = rules.TOKEN_PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(
                resident=resident, name=name.strip()[:80], prefix=plain[:12], digest=rules.token_digest(plain)
            )
    except IntegrityError:
        raise TokenNameTaken(field="name") from None
    return token, plain


@transaction.atomic
def api_token_revoke(*, resident: Resident, token_id: int) -> None:
    updated = ApiToken.objects.filter(pk=token_id, resident=resident, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise NotFound()
    shared_cache.bump(shared_cache.ACCESS)  # its passes to shared documents end (public_responses)


@transaction.atomic
def role_permissions_sync() -> dict[str, int]:
    """Give each staff role its console permissions, from what each app declares.

    An AppConfig may set ``operator_permissions`` (codename prefixes operators get on the app's
    models; default all four: view, add, change, delete) and ``moderator_models`` (model names
    moderators may view and change). Idempotent; run after migrations (seed_demo does).
    """
    from django.apps import apps
    from django.contrib.auth.models import Permission

    wanted: dict[str, set[int]] = {roles.OPERATOR: set(), roles.MODERATOR: set()}
    for config in apps.get_app_configs():
        if not config.name.startswith("gorod."):
            continue
        prefixes = tuple(getattr(config, "operator_permissions", ("view_", "add_", "change_", "delete_")))
        moderated = set(getattr(config, "moderator_models", ()))
        for permission in Permission.objects.filter(content_type__app_label=config.label):
            if permission.codename.startswith(prefixes):
                wanted[roles.OPERATOR].add(permission.pk)
            model = permission.codename.split("_", 1)[1]
            if model in moderated and permission.codename.startswith(("view_", "change_")):
                wanted[roles.MODERATOR].add(permission.pk)
    counts = {}
    for role, permission_ids in wanted.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(permission_ids)
        counts[role] = len(permission_ids)
    for role in (roles.PARTNER_STAFF, roles.BUILDING_ADMINISTRATOR, roles.ORGANISATION_RESPONDER):
        Group.objects.get_or_create(name=role)
    return counts


def resident_language_set(*, resident: Resident, language: str) -> bool:
    """Keep the language the resident chose (one of the site's languages; others are ignored, as
    Django's own switch ignores them). Returns whether it was saved."""
    if language not in dict(settings.LANGUAGES) or resident.language == language:
        return False
    Resident.objects.filter(pk=resident.pk).update(language=language)
    resident.language = language
    return True


def language_of(resident: Resident) -> str:
    """The language to write to the resident in when they are not on the site (e-mails): the one
    they chose with the site's switch, else the city's (``CITY_LANGUAGE``, Russian by default).
    Never the language in force: that is whoever caused the e-mail (a neighbour, an operator)
    or the worker's default, not the reader."""
    if resident.language in dict(settings.LANGUAGES):
        return resident.language
    return settings.CITY_LANGUAGE

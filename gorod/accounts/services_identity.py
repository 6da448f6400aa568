"""Writes about residents' identities at OpenID providers: signing in through one, linking one to an
existing account, and the level the provider confirms, re-read at each sign-in.

One resident, one wallet: a provider identity belongs to one gorod account, found by the
provider's subject (``sub``), never by an e-mail claim. A resident who already has a local account
links the provider from their profile while signed in, proving both; a verified e-mail that
belongs to an existing account stops the creation of a second account instead of being trusted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from gorod.accounts import rules
from gorod.accounts.errors import (
    IdentityEmailTaken,
    IdentityLinkedElsewhere,
    ProviderAlreadyLinked,
)
from gorod.accounts.models import AccountLevel, LevelChange, LevelSource, ProviderIdentity, Resident
from gorod.core.cache import shared_cache
from gorod.core.logs import log_action


def _provider_level(
    *,
    identity: ProviderIdentity,
    resident: Resident,
    claims: dict[str, Any],
    level_rules: Iterable[rules.LevelRule],
) -> None:
    """Record the level the provider's claims confirm, and move the resident to it."""
    level, evidence = rules.level_from_claims(claims, level_rules)
    now = timezone.now()
    ProviderIdentity.objects.filter(pk=identity.pk).update(
        level=level, level_claims=evidence, level_confirmed_at=now
    )
    identity.level, identity.level_claims, identity.level_confirmed_at = level, evidence, now
    current = Resident.objects.select_for_update().only("level").get(pk=resident.pk)
    if current.level != level:
        LevelChange.objects.create(
            resident=resident,
            from_level=current.level,
            to_level=level,
            changed_by=None,
            source=LevelSource.PROVIDER,
            reason=f"confirmed by identity provider {identity.provider}"[:255],
        )
        Resident.objects.filter(pk=resident.pk).update(level=level)
        log_action(
            "resident.level_from_provider",
            resident=resident.pk,
            provider=identity.provider,
            from_level=current.level,
            to_level=level,
        )
        shared_cache.bump(shared_cache.ACCESS)
    resident.level = level


def _username_for(provider: str, subject: str) -> str:
    # Stable, unique per identity, and says nothing about the person.
    return f"{provider}-{hashlib.sha256(subject.encode()).hexdigest()[:12]}"[:150]


@transaction.atomic(durable=True)
def identity_sign_in(
    *, provider: str, claims: dict[str, Any], level_rules: Iterable[rules.LevelRule]
) -> Resident:
    """The resident behind a validated ID token: the one linked to this (provider, sub), or a new
    account for a first sign-in. The level is re-read from the claims every time."""
    subject = str(claims["sub"])
    identity = (
        ProviderIdentity.objects.select_for_update()
        .select_related("resident")
        .filter(provider=provider, subject=subject)
        .first()
    )
    if identity is None:
        resident = _new_resident(provider=provider, subject=subject, claims=claims)
        now = timezone.now()
        identity = ProviderIdentity.objects.create(
            resident=resident,
            provider=provider,
            subject=subject,
            level=AccountLevel.SIMPLIFIED,
            level_confirmed_at=now,
            linked_at=now,
        )
        log_action("resident.sign_up_with_provider", resident=resident.pk, provider=provider)
    else:
        resident = identity.resident
    _provider_level(identity=identity, resident=resident, claims=claims, level_rules=level_rules)
    return resident


def _new_resident(*, provider: str, subject: str, claims: dict[str, Any]) -> Resident:
    email = str(claims.get("email") or "").strip().lower() or None
    verified = claims.get("email_verified") is True
    if email and Resident.objects.filter(email__iexact=email).exists():
        if verified:
            # Someone already has this e-mail here: most likely the same person with a local
            # account. They link from their profile; a second account would be a second wallet.
            raise IdentityEmailTaken()
        email = None  # unverified: not theirs to claim, and not a reason to refuse them
    if not verified:
        email = None  # an address nobody confirmed does not go on the account
    resident = Resident(
        username=_username_for(provider, subject),
        email=email,
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
        level=AccountLevel.SIMPLIFIED,
    )
    resident.set_unusable_password()
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError:
        raise IdentityEmailTaken() from None
    return resident


@transaction.atomic(durable=True)
def identity_link(
    *, resident: Resident, provider: str, claims: dict[str, Any], level_rules: Iterable[rules.LevelRule]
) -> ProviderIdentity:
    """Link a provider identity to the signed-in resident (they proved both: the session and a
    sign-in at the provider just now). Refused when that identity belongs to another account or
    the resident already has another identity at this provider."""
    subject = str(claims["sub"])
    existing = ProviderIdentity.objects.select_for_update().filter(provider=provider, subject=subject).first()
    if existing is not None and existing.resident_id != resident.pk:
        raise IdentityLinkedElsewhere()
    if existing is None:
        if ProviderIdentity.objects.filter(resident=resident, provider=provider).exists():
            raise ProviderAlreadyLinked()
        now = timezone.now()
        try:
            with transaction.atomic():
                existing = ProviderIdentity.objects.create(
                    resident=resident,
                    provider=provider,
                    subject=subject,
                    level=AccountLevel.SIMPLIFIED,
                    level_confirmed_at=now,
                    linked_at=now,
                )
        except IntegrityError:
            raise IdentityLinkedElsewhere() from None
        log_action("resident.provider_linked", resident=resident.pk, provider=provider)
    _provider_level(identity=existing, resident=resident, claims=claims, level_rules=level_rules)
    return existing

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, trans_real

from gorod.accounts import sql
from gorod.accounts.models import Address, ApiToken, District, ProviderIdentity, Resident
from gorod.accounts.rules import TOKEN_PREFIX, token_digest
from gorod.core import geo


def resident_by_login(typed: str) -> Resident | None:
    """The account a login, e-mail or phone number names (case does not matter)."""
    login = typed.strip()
    if not login:
        return None
    phone = login.replace(" ", "").replace("-", "")
    return Resident.objects.filter(
        Q(username__iexact=login) | Q(email__iexact=login) | Q(phone=phone)
    ).first()


def live_token(plain: str) -> ApiToken | None:
    """The unrevoked token behind a plain bearer token, with its resident: one indexed lookup."""
    return sql.live_token(token_digest(plain))


def token_resident(token: ApiToken | None) -> Resident | None:
    """The active resident a live token signs in, noting when it was last used."""
    if token is None or not token.resident.is_active:
        return None
    now = timezone.now()
    # Touch last use at most once a minute: a hot token must not become a hot row.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.resident


def resident_for_token(plain: str) -> Resident | None:
    if not plain.startswith(TOKEN_PREFIX):
        return None
    return token_resident(live_token(plain))


def tokens_of(resident: Resident) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(resident=resident, revoked_at__isnull=True)


def identity_providers_of(resident: Resident, providers: Iterable[Any]) -> list[dict[str, Any]]:
    """Each configured identity provider, with the resident's identity there if linked."""
    linked = {identity.provider: identity for identity in ProviderIdentity.objects.filter(resident=resident)}
    return [{"provider": provider, "identity": linked.get(provider.name)} for provider in providers]


def district_at(latitude: float, longitude: float) -> District | None:
    """The district whose boundary contains the point, if any."""
    for district in District.objects.exclude(boundary__isnull=True).only("id", "boundary", "name", "code"):
        if district.boundary and geo.point_in_polygon(latitude, longitude, district.boundary):
            return district
    return None


def districts() -> QuerySet[District]:
    return District.objects.select_related("okrug").order_by("okrug__name", "name")


def address_by_text(text: str) -> Address | None:
    """The register's address written as ``text``, ignoring case, spacing and a trailing
    comma or dot (for clients that give an address instead of coordinates)."""
    wanted = " ".join((text or "").replace(" ,", ",").split()).strip(" ,.")
    if not wanted:
        return None
    return Address.objects.select_related("district").filter(text__iexact=wanted).first()


def address_get(address_id: int) -> Address | None:
    return Address.objects.select_related("district").filter(pk=address_id).first()


ADDRESS_QUERY_MIN_LENGTH = 2
ADDRESS_SUGGESTIONS = 8
# More catalogue matches than this for one word means the word says little ("St"): it then
# narrows by the stored text only.
_CATALOGUE_MATCHES_MAX = 500


def _folded(text: str) -> str:
    return text.casefold().replace("ё", "е")


def _words(query: str) -> list[str]:
    cleaned = "".join(ch if ch.isalnum() else " " for ch in query)
    return [word for word in cleaned.split() if word][:6]


def _catalogue_sources(word: str) -> list[str]:
    """Sources (msgids) whose translation in the active language contains ``word``: the register's
    seed addresses and district names are stored in English and shown translated (ADR 0006), so
    a resident typing in Russian must find them by their Russian text."""
    language = get_language() or ""
    if not language or language.split("-")[0] == "en":
        return []
    catalogue: Any = getattr(trans_real.translation(language), "_catalog", None)
    if catalogue is None:
        return []
    wanted = _folded(word)
    found = []
    for source, translated in catalogue.items():
        if isinstance(source, str) and isinstance(translated, str) and wanted in _folded(translated):
            found.append(source)
            if len(found) > _CATALOGUE_MATCHES_MAX:
                return []
    return found


def address_suggestions(query: str, *, limit: int = ADDRESS_SUGGESTIONS) -> list[Address]:
    """Addresses of the city's register matching every word of ``query`` (in the address or its
    district's name, in the stored text or in the reader's language), for the address search.

    Case-insensitive on PostgreSQL and SQLite alike: SQLite folds only ASCII letters, so each
    word is also tried capitalised and upper-cased ("арбат" finds "Арбат")."""
    words = _words(query)
    if len("".join(words)) < ADDRESS_QUERY_MIN_LENGTH:
        return []
    addresses = Address.objects.select_related("district")
    for word in words:
        match = Q()
        for variant in {word, word.lower(), word.capitalize(), word.upper()}:
            match |= Q(text__icontains=variant) | Q(district__name__icontains=variant)
        sources = _catalogue_sources(word)
        if sources:
            match |= Q(text__in=sources) | Q(district__name__in=sources)
        addresses = addresses.filter(match)
    return list(addresses.order_by("text")[:limit])

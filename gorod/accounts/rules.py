"""Pure rules about accounts: which level a provider's claims confirm, who may set one by hand,
phone numbers in one form, API token digests."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gorod.accounts.errors import InvalidPhone
from gorod.accounts.models import AccountLevel

PHONE_RE = re.compile(r"^\+7\d{10}$")
TOKEN_PREFIX = "gor_"  # noqa: S105 - a public marker, not a secret


@dataclass(frozen=True)
class LevelRule:
    """``claim=value:level``: a provider asserting ``claim`` equal to ``value`` confirms ``level``."""

    claim: str
    value: str
    level: str


def parse_level_rules(text: str) -> tuple[LevelRule, ...]:
    """``"trusted=true:full,email_verified=true:standard"`` -> rules; a malformed rule is an error
    at start-up, not a resident silently getting the wrong level."""
    rules = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        condition, sep, level = part.rpartition(":")
        claim, eq, value = condition.partition("=")
        if not sep or not eq or not claim.strip() or level.strip() not in AccountLevel.values:
            raise ValueError(
                f"level rule {part!r} is not claim=value:level (level one of {AccountLevel.values})"
            )
        rules.append(LevelRule(claim=claim.strip(), value=value.strip(), level=level.strip()))
    return tuple(rules)


def _claim_text(value: Any) -> str:
    # JSON true/false compare as the words a rule is written with; numbers and strings as themselves
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def level_from_claims(claims: Mapping[str, Any], rules: Iterable[LevelRule]) -> tuple[str, dict[str, Any]]:
    """The highest level any rule grants for these claims (simplified when none does), and the
    claims that decided it (kept as the level's evidence)."""
    level = AccountLevel.SIMPLIFIED.value
    evidence: dict[str, Any] = {}
    for rule in rules:
        if rule.claim in claims:
            evidence[rule.claim] = claims[rule.claim]
            if _claim_text(claims[rule.claim]) == rule.value and AccountLevel.rank(
                rule.level
            ) > AccountLevel.rank(level):
                level = rule.level
    return level, evidence


def manual_level_allowed(new_level: str, provider_levels: Iterable[str]) -> bool:
    """An operator may not raise a resident above what their identity provider confirmed: the
    provider checked the person against state records, the operator pressed a button. With no
    provider identity, the operator's confirmation is the only one and any level may be set."""
    confirmed = [AccountLevel.rank(level) for level in provider_levels]
    return not confirmed or AccountLevel.rank(new_level) <= max(confirmed)


def normalise_phone(raw: str) -> str:
    digits = re.sub(r"[\s()\-]", "", raw)
    if digits.startswith("8") and len(digits) == 11:
        digits = "+7" + digits[1:]
    if not PHONE_RE.match(digits):
        raise InvalidPhone(field="phone")
    return digits


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

"""Writes to the earning rules: operators publish new versions; old ones stay for the record."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from gorod.accounts.models import Resident
from gorod.accounts.permissions import is_operator
from gorod.accounts.services import audit_record
from gorod.core.errors import PermissionDenied
from gorod.points.models import EarningRule, Programme, RuleVersion


@transaction.atomic
def rule_version_publish(*, rule: EarningRule, actor: Resident | None = None, **terms: Any) -> RuleVersion:
    """Publish new terms for a rule as its next version (numbers never reused).

    ``actor`` None is the system (data migrations, seeds); a person must be a city operator,
    whichever door they came through (the console checks the same, this is the last word)."""
    if actor is not None and not is_operator(actor):
        raise PermissionDenied()
    EarningRule.objects.select_for_update().filter(pk=rule.pk).first()
    number = (rule.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = RuleVersion.objects.create(rule=rule, number=number, created_by=actor, **terms)
    if actor is not None:
        audit_record(
            actor=actor,
            action="points.rule_version_publish",
            target=version,
            after={k: (str(v) if v is not None else None) for k, v in terms.items()},
            reason=terms.get("note", ""),
        )
    return version


@transaction.atomic
def earning_rule_define(
    *, programme: str, action: str, name: str, description: str = "", **terms: Any
) -> EarningRule:
    """Create a rule with its first version, or leave an existing rule as it is (idempotent)."""
    prog = Programme.objects.get(code=programme)
    rule = EarningRule.objects.filter(programme=prog, action=action).first()
    if rule is not None:
        return rule
    try:
        with transaction.atomic():
            rule = EarningRule.objects.create(
                programme=prog, action=action, name=name, description=description
            )
    except IntegrityError:
        return EarningRule.objects.get(programme=prog, action=action)
    rule_version_publish(rule=rule, **terms)
    return rule

"""Permission matrix of the points console: only city operators publish earning-rule terms."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client

from gorod.points.models import EarningRule, RuleVersion
from gorod.points.services_rules import earning_rule_define
from tests.permissions.conftest import Attempt, Cast, run_matrix

pytestmark = pytest.mark.django_db

CITY_STAFF = frozenset({"operator", "admin"})
_actions = itertools.count(1)


def attempts(cast: Cast) -> dict[str, tuple[Attempt, frozenset[str]]]:
    def rule() -> EarningRule:
        return earning_rule_define(
            programme="mission_city",
            action=f"perm_matrix_{next(_actions)}",
            name="Matrix",
            amount_standard=10,
            amount_full=10,
        )

    def publish_version(client: Client, target: EarningRule) -> bool:
        before = target.versions.count()
        client.post(
            "/console/points/ruleversion/add/",
            {
                "rule": str(target.pk),
                "amount_simplified": "0",
                "amount_standard": "500",
                "amount_full": "500",
                "percent_basis_points": "0",
                "rounding": "down",
                "note": "more",
            },
        )
        return RuleVersion.objects.filter(rule=target).count() > before

    def rename_rule(client: Client, target: EarningRule) -> bool:
        client.post(
            f"/console/points/earningrule/{target.pk}/change/",
            {
                "programme": str(target.programme_id),
                "action": target.action,
                "name": "Renamed",
                "description": "",
                "versions-TOTAL_FORMS": "0",
                "versions-INITIAL_FORMS": "0",
            },
        )
        return EarningRule.objects.get(pk=target.pk).name == "Renamed"

    def page(url: str) -> Any:
        return lambda client, target: client.get(url.format(pk=getattr(target, "pk", 0))).status_code == 200

    return {
        "console_rules": (Attempt(rule, page("/console/points/earningrule/"), writes=False), CITY_STAFF),
        "console_ledger": (Attempt(rule, page("/console/points/transfer/"), writes=False), CITY_STAFF),
        "publish_rule_version": (Attempt(rule, publish_version), CITY_STAFF),
        "rename_rule": (Attempt(rule, rename_rule), CITY_STAFF),
    }


@pytest.mark.parametrize("action", ["console_rules", "console_ledger", "publish_rule_version", "rename_rule"])
def test_permission_matrix(cast, action):
    attempt, expected = attempts(cast)[action]
    run_matrix(cast, attempt, expected)


def test_publishing_terms_outside_the_console_is_refused_to_non_operators(cast):
    from gorod.core.errors import DomainError
    from gorod.points.services_rules import rule_version_publish
    from tests.permissions.conftest import nothing_written

    target = earning_rule_define(programme="mission_city", action="perm_matrix", name="Matrix")
    for role in ("resident", "moderator", "partner_a", "building_admin_a", "responder_a"):
        with nothing_written(), pytest.raises(DomainError):
            rule_version_publish(rule=target, actor=cast.user(role), amount_standard=10**6)
    assert rule_version_publish(rule=target, actor=cast.user("operator"), amount_standard=20).number == 2

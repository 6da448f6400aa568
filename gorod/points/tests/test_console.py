"""Operators publish earning-rule versions in the console; the ledger itself is read-only there."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.accounts import roles
from gorod.accounts.models import AuditEntry
from gorod.accounts.services import role_permissions_sync
from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import services
from gorod.points.models import EarningRule, RuleVersion, Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client():
    role_permissions_sync()
    operator = ResidentFactory(roles=[roles.OPERATOR])
    operator.is_staff = True
    operator.save()
    client = Client()
    client.force_login(operator)
    return client, operator


def test_operator_publishes_a_new_version_and_awards_follow_it(operator_client, resident):
    client, operator = operator_client
    rule = EarningRule.objects.get(action="meter_reading")
    response = client.post(
        "/console/points/ruleversion/add/",
        {
            "rule": rule.pk,
            "amount_simplified": 0,
            "amount_standard": 15,
            "amount_full": 25,
            "rounding": "down",
            "note": "winter campaign",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    newest = RuleVersion.objects.filter(rule=rule).order_by("-number").first()
    assert (newest.number, newest.amount_standard, newest.created_by) == (2, 15, operator)
    assert AuditEntry.objects.filter(action="points.rule_version_publish", actor=operator).exists()
    result = services.award(
        resident=resident, programme="electronic_home", action="meter_reading", source_key="r:1"
    )
    assert result.amount == 15 and result.transfer.rule_version == newest


def test_ledger_is_read_only_in_the_console(operator_client, resident):
    client, _operator = operator_client
    transfer = services.award(
        resident=resident, programme="active_citizen", action="vote", source_key="v:1"
    ).transfer
    assert client.get("/console/points/transfer/").status_code == 200
    assert client.get(f"/console/points/transfer/{transfer.pk}/change/").status_code in (200, 403)
    client.post(f"/console/points/transfer/{transfer.pk}/delete/", {"post": "yes"})
    assert Transfer.objects.filter(pk=transfer.pk).exists()
    assert client.get("/console/points/ruleversion/1/change/").status_code in (200, 403)
    assert RuleVersion.objects.get(pk=1).number == 1


def test_residents_cannot_open_the_console(resident):
    client = Client()
    client.force_login(resident)
    assert client.get("/console/points/ruleversion/add/").status_code == 302

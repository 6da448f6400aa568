"""Issue 26: the bills page's second form (one bill typed in by the administrator) through the API,
on the same service: amounts in kopecks, the bill and its lines written together, and every refusal
(another building's premise or administrator, a month already billed, a malformed line) leaving
nothing behind."""

from __future__ import annotations

import pytest

from gorod.housing.models import Bill
from gorod.housing.tests.factories import PremiseFactory
from gorod.housing.tests.test_imports_api import api, other_admin, written
from gorod.housing.tests.test_imports_api import operator as operator

pytestmark = pytest.mark.django_db
other_admin = other_admin  # the fixture, re-exported for this module


def url(building_id: int) -> str:
    return f"/api/v1/home/admin/buildings/{building_id}/bills"


def body(premise_id: int, **changes) -> dict:
    return {
        "premise_id": premise_id,
        "period": "2026-10",
        "payer_code": "4400000012",
        "lines": [{"service": "Maintenance", "amount": 312345}, {"service": "Heating", "amount": 180000}],
        **changes,
    }


def test_an_administrator_types_in_a_bill_with_its_lines(building, premise, administrator):
    response = api(administrator).post(url(building.pk), body(premise.pk), content_type="application/json")
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["amount_due"] == 492345 and out["amount_paid"] == 0 and out["period"] == "2026-10-01"
    assert [(line["service"], line["amount"]) for line in out["lines"]] == [
        ("Maintenance", 312345),
        ("Heating", 180000),
    ]
    bill = Bill.objects.get(pk=out["id"])
    assert bill.premise_id == premise.pk and bill.lines.count() == 2


def test_a_month_already_billed_is_refused_and_nothing_changes(building, premise, administrator):
    client = api(administrator)
    assert client.post(url(building.pk), body(premise.pk), content_type="application/json").status_code == 201
    before = written()
    again = client.post(
        url(building.pk), body(premise.pk, payer_code="other"), content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "bill_exists"
    assert written() == before


@pytest.mark.parametrize(
    "changes",
    [
        {"lines": []},
        {"lines": [{"service": "Heating", "amount": 0}]},
        {"lines": [{"service": "  ", "amount": 100}]},
        {"lines": [{"service": "Heating", "amount": 12.5}]},
        {"period": "2026-13"},
        {"payer_code": ""},
    ],
)
def test_malformed_bills_are_refused_with_nothing_written(building, premise, administrator, changes):
    before = written()
    response = api(administrator).post(
        url(building.pk), body(premise.pk, **changes), content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["code"]
    assert written() == before


def test_another_buildings_premise_or_administrator_gets_nothing(
    building, premise, administrator, other_admin
):
    elsewhere = PremiseFactory()
    before = written()
    wrong_premise = api(administrator).post(
        url(building.pk), body(elsewhere.pk), content_type="application/json"
    )
    assert wrong_premise.status_code == 404 and wrong_premise.json()["code"] == "premise_not_found"
    refused = api(other_admin).post(url(building.pk), body(premise.pk), content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "not_building_administrator"
    assert written() == before


def test_an_operator_may_type_in_a_bill_anywhere(building, premise, operator):
    response = api(operator).post(url(building.pk), body(premise.pk), content_type="application/json")
    assert response.status_code == 201

"""Bills imported from CSV: row-by-row errors, all or nothing, idempotent by premise + period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gorod.accounts import roles
from gorod.accounts.models import AuditEntry
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing import errors, tabular
from gorod.housing.billing import services as services_billing
from gorod.housing.billing.services_import import bills_import
from gorod.housing.models import Bill, BillLine, PaymentState
from gorod.housing.tests.factories import AdministratorFactory, BuildingFactory, PremiseFactory

pytestmark = pytest.mark.django_db

CSV = """premise,period,payer_code,service,amount
12,2026-10,4400000012,Maintenance,300000
12,2026-10,4400000012,Heating,180000
13,2026-10,4400000013,Maintenance,250000
"""
OCTOBER = dt.date(2026, 10, 1)


@pytest.fixture
def flat13(building):
    return PremiseFactory(building=building, number="13")


def run(building, actor, text=CSV):
    return bills_import(building=building, table=tabular.from_csv(text), actor=actor)


def snapshot():
    return sorted(Bill.objects.values_list("pk", "premise__number", "payer_code", "amount_due")), sorted(
        BillLine.objects.values_list("bill_id", "service", "amount")
    )


def test_import_creates_bills_and_reimport_is_idempotent(building, premise, flat13, administrator):
    report = run(building, administrator)
    assert report.ok and (report.created, report.replaced, report.unchanged) == (2, 0, 0)
    bill = Bill.objects.get(premise=premise, period=OCTOBER)
    assert bill.amount_due == 480_000 and bill.payer_code == "4400000012"
    assert sorted(bill.lines.values_list("service", "amount")) == [
        ("Heating", 180_000),
        ("Maintenance", 300_000),
    ]
    before = snapshot()
    again = run(building, administrator)
    assert again.ok and (again.created, again.replaced, again.unchanged) == (0, 0, 2)
    assert snapshot() == before
    assert AuditEntry.objects.filter(action="housing.bills_import").count() == 2


def test_changed_unpaid_bill_is_replaced_paid_one_is_refused(building, premise, flat13, administrator, owner):
    run(building, administrator)
    changed = CSV.replace("Heating,180000", "Heating,190000")
    report = run(building, administrator, changed)
    assert report.ok and (report.replaced, report.unchanged) == (1, 1)
    bill = Bill.objects.get(premise=premise, period=OCTOBER)
    assert bill.amount_due == 490_000 and bill.lines.count() == 2

    payment = services_billing.payment_start(bill=bill, payer=owner, amount=1000)
    before = snapshot()
    refused = run(building, administrator, CSV + "13,2026-11,4400000013,Maintenance,250000\n")
    assert not refused.ok and [(e.row, e.column) for e in refused.errors] == [(2, "amount")]
    assert snapshot() == before and not Bill.objects.filter(period=dt.date(2026, 11, 1)).exists()
    # A failed attempt moved no money: the bill may be replaced again.
    type(payment).objects.filter(pk=payment.pk).update(state=PaymentState.FAILED)
    assert run(building, administrator).replaced == 1


def test_bad_rows_are_each_reported_and_nothing_is_written(building, premise, flat13, administrator):
    bad = (
        CSV
        + "99,2026-10,1,Maintenance,100\n"  # 5: no such premise
        + "12,2026-13,4400000012,Gas,100\n"  # 6: bad month
        + "12,2026-10,4400000012,Water,12.50\n"  # 7: not kopecks
        + "12,2026-10,4400000012,Heating,100\n"  # 8: service twice in one bill
        + "12,2026-10,OTHER,Power,100\n"  # 9: another payer code
        + ",2026-10,,,\n"  # 10: everything missing
    )
    report = run(building, administrator, bad)
    found = {(e.row, e.column) for e in report.errors}
    assert {(5, "premise"), (6, "period"), (7, "amount"), (8, "service"), (9, "payer_code")} <= found
    assert {(10, "premise"), (10, "payer_code"), (10, "service"), (10, "amount")} <= found
    assert not Bill.objects.exists() and not BillLine.objects.exists() and not AuditEntry.objects.exists()
    missing = run(building, administrator, "premise,amount\n12,100\n")
    assert [(e.row, e.column) for e in missing.errors] == [(1, "period,payer_code,service")]


@pytest.mark.parametrize("who", ["owner", "other_admin"])
def test_only_the_buildings_administrator_imports(building, premise, flat13, owner, who):
    actor = owner
    if who == "other_admin":
        actor = ResidentFactory(roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
        AdministratorFactory(building=BuildingFactory(), resident=actor)
    with pytest.raises(errors.NotYourBuilding):
        run(building, actor)
    assert not Bill.objects.exists()


def test_bills_page_imports_and_creates_by_hand(building, premise, flat13, administrator, owner):
    client = Client()
    client.force_login(administrator)
    url = f"/housing/admin/buildings/{building.pk}/bills/"
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("bills.csv", CSV.encode(), content_type="text/csv")
    assert client.post(url, {"import": "1", "file": upload}).status_code == 302
    assert Bill.objects.count() == 2
    bad = SimpleUploadedFile("bills.csv", b"premise,period,payer_code,service,amount\n12,2026-10,x,y,-1\n")
    response = client.post(url, {"import": "1", "file": bad})
    assert response.status_code == 422 and b"<td>2</td>" in response.content and Bill.objects.count() == 2

    by_hand = {
        "create": "1",
        "premise": premise.pk,
        "period": "2026-11",
        "payer_code": "4400000012",
        "lines": "Maintenance; 3123.45\nHeating; 1800",
    }
    assert client.post(url, by_hand).status_code == 302
    bill = Bill.objects.get(premise=premise, period=dt.date(2026, 11, 1))
    assert bill.amount_due == 312_345 + 180_000
    duplicate = client.post(url, by_hand)
    assert duplicate.status_code == 422 and Bill.objects.count() == 3
    wrong = client.post(url, {**by_hand, "period": "2026-12", "lines": "Heating; 10.005"})
    assert wrong.status_code == 422 and Bill.objects.count() == 3

    owner_client = Client()
    owner_client.force_login(owner)
    assert b"2026" in owner_client.get("/housing/bills/").content
    assert owner_client.get(url).status_code == 404
    other = ResidentFactory(roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
    AdministratorFactory(building=BuildingFactory(), resident=other)
    other_client = Client()
    other_client.force_login(other)
    assert other_client.post(url, by_hand | {"period": "2027-01"}).status_code == 404
    assert Bill.objects.count() == 3


@pytest.mark.parametrize(
    "amount", ["1e30", "99999999999999999999", "NaN", "sNaN", "Infinity", "10000000000.01"]
)
def test_bill_line_amounts_past_any_bill_are_a_field_error_not_a_crash(
    building, premise, administrator, amount
):
    """Found by fuzzing: these amounts were a 500 (a Decimal that cannot be compared or rounded,
    or kopecks past the database's integer)."""
    client = Client()
    client.force_login(administrator)
    url = f"/housing/admin/buildings/{building.pk}/bills/"
    form = {
        "create": "1",
        "premise": premise.pk,
        "period": "2026-11",
        "payer_code": "44",
        "lines": f"X; {amount}",
    }
    response = client.post(url, form)
    assert response.status_code == 422
    assert "amount in roubles with at most two decimals" in response.content.decode()
    assert not Bill.objects.exists() and not BillLine.objects.exists()


def test_the_bill_lines_example_is_in_the_pages_language(building, administrator):
    client = Client()
    client.force_login(administrator)
    url = f"/housing/admin/buildings/{building.pk}/bills/"
    russian = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Maintenance; 3123.45" not in russian and "Отопление; 1800" in russian
    assert "Maintenance; 3123.45" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

"""The building administrator's readings import page: a real CSV and XLSX with bad rows, a
row-by-row report with stable codes, refused rows change nothing, one audit entry."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from gorod.accounts import roles
from gorod.accounts.models import AuditEntry
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing.models import Reading
from gorod.housing.tests.factories import (
    AdministratorFactory,
    BuildingFactory,
    MeterFactory,
    PremiseFactory,
)

pytestmark = pytest.mark.django_db
NOV = dt.date(2026, 11, 1)
HEADER = ["serial", "resource", "resident", "value_1", "value_2", "value_3"]


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def csv_file(rows: list[list[str]], header: list[str] = HEADER) -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return SimpleUploadedFile("readings.csv", out.getvalue().encode(), content_type="text/csv")


def xlsx_file(rows: list[list[object]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("readings.xlsx", out.getvalue())


@pytest.fixture
def setting(building, premise, owner, administrator):
    good = MeterFactory(premise=premise, serial="CW-1")
    low = MeterFactory(premise=premise, serial="CW-2")
    archived = MeterFactory(premise=premise, serial="CW-3", archived_on=dt.date(2026, 1, 1))
    stranger = ResidentFactory(email="stranger@example.test")
    elsewhere = MeterFactory(premise=PremiseFactory(building=BuildingFactory()), serial="FOREIGN")
    return {"good": good, "low": low, "archived": archived, "stranger": stranger, "elsewhere": elsewhere}


BAD_ROWS = [
    ["CW-2", "", "{owner}", "99", "", ""],  # lower than its initial 100
    ["CW-1", "", "{owner}", "103", "", ""],  # the same meter twice in the file
    ["CW-2", "", "stranger@example.test", "101", "", ""],  # resident not linked to the premise
    ["CW-3", "", "{owner}", "101", "", ""],  # archived meter
    ["NOPE", "", "{owner}", "101", "", ""],  # no such meter in the building
    ["FOREIGN", "", "{owner}", "101", "", ""],  # another building's meter: never imported
    ["CW-2", "", "nobody@example.test", "101", "", ""],  # unknown resident
    ["CW-2", "", "{owner}", "abc", "", ""],  # not a number
]


def test_import_accepts_good_rows_refuses_bad_ones_with_codes_and_audits(setting, owner, administrator):
    rows = [["CW-1", "cold_water", owner.email.upper(), "101,5", "", ""]] + [
        [c.replace("{owner}", owner.email) for c in r] for r in BAD_ROWS
    ]
    response = signed_in(administrator).post(
        reverse("housing:readings_import", args=[setting["good"].building_id]),
        {"period": "2026-11", "file": csv_file(rows)},
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert [(r.line, r.accepted, r.code) for r in report.rows] == [
        (2, True, ""),
        (3, False, "reading_decreases"),
        (4, False, "reading_meter_twice"),
        (5, False, "not_your_meter"),
        (6, False, "meter_archived"),
        (7, False, "meter_not_found"),
        (8, False, "meter_not_found"),
        (9, False, "resident_not_found"),
        (10, False, "reading_not_numeric"),
    ]
    assert Reading.objects.get(meter=setting["good"], period=NOV).value_1 == Decimal("101.500")
    # Refused rows changed nothing: no reading on any other meter, in this building or another.
    assert Reading.objects.filter(period=NOV).count() == 1
    assert not Reading.objects.filter(
        meter__in=[setting["low"], setting["archived"], setting["elsewhere"]]
    ).exists()
    assert b"reading_decreases" in response.content and b"1 accepted, 8 refused" in response.content
    entry = AuditEntry.objects.get(action="housing.readings_import")
    assert entry.actor == administrator and entry.after["accepted"] == 1
    assert entry.after["refused"][0] == [3, "reading_decreases"]


def test_xlsx_import_gives_the_same_report_and_a_second_upload_changes_nothing(setting, owner, administrator):
    rows: list[list[object]] = [
        ["CW-1", None, owner.email, 102, None, None],
        ["CW-2", None, owner.email, 50, None, None],
    ]
    client = signed_in(administrator)
    url = reverse("housing:readings_import", args=[setting["good"].building_id])
    first = client.post(url, {"period": "2026-11", "file": xlsx_file(rows)})
    assert [(r.accepted, r.code) for r in first.context["report"].rows] == [
        (True, ""),
        (False, "reading_decreases"),
    ]
    points = first.context["report"].points
    again = client.post(url, {"period": "2026-11", "file": xlsx_file(rows)})
    assert again.context["report"].accepted == 1 and again.context["report"].points == 0
    assert points > 0
    assert Reading.objects.filter(period=NOV).count() == 1


def test_a_file_without_the_columns_is_refused_and_writes_nothing(setting, owner, administrator):
    response = signed_in(administrator).post(
        reverse("housing:readings_import", args=[setting["good"].building_id]),
        {"period": "2026-11", "file": csv_file([["CW-1", "101"]], header=["meter", "reading"])},
    )
    assert response.status_code == 422
    assert "serial, resident, value_1" in response.context["form"].errors["file"][0]
    assert (
        not Reading.objects.exists()
        and not AuditEntry.objects.filter(action="housing.readings_import").exists()
    )


def test_staff_of_another_building_and_residents_get_nothing(setting, owner, building):
    other_admin = ResidentFactory(roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
    AdministratorFactory(building=BuildingFactory(), resident=other_admin)
    url = reverse("housing:readings_import", args=[building.pk])
    upload = {"period": "2026-11", "file": csv_file([["CW-1", "", owner.email, "101", "", ""]])}
    assert signed_in(other_admin).get(url).status_code == 404
    assert signed_in(other_admin).post(url, upload).status_code == 404
    assert (
        signed_in(owner)
        .post(url, {**upload, "file": csv_file([["CW-1", "", owner.email, "101", "", ""]])})
        .status_code
        == 404
    )
    assert Client().get(url).status_code == 302
    assert not Reading.objects.exists() and not AuditEntry.objects.exists()


def test_the_page_is_in_russian(setting, administrator):
    response = signed_in(administrator).get(
        reverse("housing:readings_import", args=[setting["good"].building_id]), HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 200
    assert "Импорт показаний" in response.content.decode()

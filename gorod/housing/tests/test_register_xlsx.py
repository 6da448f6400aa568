"""The owners register imported from XLSX goes through the CSV import's checks and semantics."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from gorod.accounts import roles
from gorod.accounts.models import AuditEntry
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing import errors
from gorod.housing.buildings import services
from gorod.housing.models import Ownership, Premise
from gorod.housing.tests.factories import AdministratorFactory, BuildingFactory
from gorod.housing.tests.test_buildings import CSV_OK

pytestmark = pytest.mark.django_db

HEADER = CSV_OK.splitlines()[0].split(",")
# As a spreadsheet holds them: numbers as numbers, dates as date cells, fractions as text.
ROWS = [
    [1, "flat", 54.3, "Ivanov I.I.", 1, "sole", None, "77-01/1", dt.datetime(2010, 5, 1)],
    [2, "flat", 71.05, "Petrova A.A.", "1/2", "shared", None, "77-01/2", dt.date(2011, 6, 2)],
    [2, "flat", 71.05, "Petrov B.B.", "1/2", "shared", None, "77-01/3", "2011-06-02"],
    [3, "flat", 40, "Smirnov", 1, "joint", 1, "77-01/4", dt.date(2012, 1, 1)],
    [None] * 9,  # a blank row, skipped like a blank CSV line
    [3, "flat", 40, "Smirnova", 1, "joint", 1, "77-01/4", dt.date(2012, 1, 1)],
    ["P1", "parking", 13.25, None, None, None, None, None, None],
]


def workbook(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_import_gives_the_same_register_as_csv(building, administrator):
    report = services.register_import_xlsx(building=building, content=workbook(ROWS), actor=administrator)
    assert report.ok, report.errors
    assert (report.premises_created, report.ownerships_created) == (4, 5)
    assert Premise.objects.get(building=building, number="2").area == Decimal("71.05")
    assert Premise.objects.get(building=building, number="1").area == Decimal("54.30")
    shares = sorted(
        (o.premise.number, o.owner_name, str(o.share), o.document_date.isoformat())
        for o in Ownership.objects.select_related("premise")
    )
    other = BuildingFactory()
    admin_other = ResidentFactory(roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
    AdministratorFactory(building=other, resident=admin_other)
    assert services.register_import(building=other, csv_text=CSV_OK, actor=admin_other).ok
    from_csv = sorted(
        (o.premise.number, o.owner_name, str(o.share), o.document_date.isoformat())
        for o in Ownership.objects.filter(premise__building=other).select_related("premise")
    )
    assert shares == from_csv
    assert AuditEntry.objects.filter(action="housing.register_import").count() == 2


def test_xlsx_rows_with_errors_are_reported_by_sheet_row_and_nothing_is_written(building, administrator):
    bad = [
        *ROWS,
        [4, "flat", -3, "Kuznetsov", 1, "sole", None, "77-01/9", dt.date(2012, 1, 1)],
        [2, "flat", 71.05, "Extra", "1/3", "shared", None, "77-01/8", dt.date(2011, 1, 1)],
        [5, "castle", 10, "Nobody", 2, "sole", None, None, "31.12.2020"],
    ]
    report = services.register_import_xlsx(building=building, content=workbook(bad), actor=administrator)
    found = {(e.row, e.column) for e in report.errors}
    assert (9, "area") in found and (10, "share") in found
    assert {(11, "kind"), (11, "share"), (11, "document_number"), (11, "document_date")} <= found
    assert not Premise.objects.exists() and not Ownership.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "content", [b"not a workbook", b"PK\x03\x04broken zip", workbook(ROWS, header=["number", "size"])]
)
def test_unreadable_or_wrong_workbook_is_reported_and_nothing_written(building, administrator, content):
    report = services.register_import_xlsx(building=building, content=content, actor=administrator)
    assert not report.ok and report.errors[0].row == 1
    assert not Premise.objects.exists()


def test_administrator_of_another_building_cannot_import_xlsx(building):
    stranger = ResidentFactory(roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
    AdministratorFactory(building=BuildingFactory(), resident=stranger)
    with pytest.raises(errors.NotYourBuilding):
        services.register_import_xlsx(building=building, content=workbook(ROWS), actor=stranger)
    assert not Premise.objects.exists()


def test_import_page_takes_xlsx(building, administrator):
    client = Client()
    client.force_login(administrator)
    url = f"/housing/admin/buildings/{building.pk}/import/"
    upload = SimpleUploadedFile(
        "register.xlsx",
        workbook(ROWS),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert client.post(url, {"file": upload}).status_code == 302
    assert Premise.objects.filter(building=building).count() == 4
    broken = client.post(url, {"file": SimpleUploadedFile("register.xlsx", b"PK\x03\x04junk")})
    assert broken.status_code == 422 and "XLSX" in broken.content.decode()

"""Issues 22 and 26: the three imports of the administrator's pages (bills, the owners' register,
a month of readings) through the API as multipart uploads of CSV or XLSX, on the pages' services:
the same per-row report with stable codes, refusals that write nothing, re-uploads that award or
create nothing twice, and an administrator of another building (or a resident) refused before the
file is read."""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from gorod.accounts import roles
from gorod.accounts import services as accounts
from gorod.accounts.models import AuditEntry
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing.edge import MAX_UPLOAD
from gorod.housing.models import Bill, BillLine, Ownership, Premise, Reading
from gorod.housing.tests.factories import AdministratorFactory, BuildingFactory, MeterFactory, PremiseFactory
from gorod.housing.tests.test_buildings import CSV_OK
from gorod.housing.tests.test_readings_import_page import BAD_ROWS, HEADER, NOV
from gorod.housing.tests.test_readings_import_page import setting as setting
from gorod.points.models import Transfer

pytestmark = pytest.mark.django_db

BILLS_CSV = """premise,period,payer_code,service,amount
12,2026-10,4400000012,Maintenance,300000
12,2026-10,4400000012,Heating,180000
13,2026-10,4400000013,Maintenance,250000
"""


def api(resident) -> Client:
    return Client(
        HTTP_AUTHORIZATION=f"Bearer {accounts.api_token_issue(resident=resident, name=secrets.token_hex(6))[1]}"
    )


def upload(name: str, content: bytes | str, kind: str = "text/csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content, kind)


def table_csv(rows: list[list[str]], header: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue()


def table_xlsx(rows: list[list[object]], header: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def url(building_id: int, what: str) -> str:
    return f"/api/v1/home/admin/buildings/{building_id}/{what}-import"


def written() -> tuple:
    """Everything an import may write, to compare before and after a refusal."""
    return (
        sorted(Premise.objects.values_list("pk", "number", "area")),
        sorted(Ownership.objects.values_list("pk", "owner_name")),
        sorted(Bill.objects.values_list("pk", "payer_code", "amount_due")),
        sorted(BillLine.objects.values_list("pk", "amount")),
        sorted(Reading.objects.values_list("pk", "value_1")),
        Transfer.objects.count(),
        AuditEntry.objects.filter(action__startswith="housing.").count(),
    )


@pytest.fixture
def operator():
    return ResidentFactory(level="full", roles=[roles.OPERATOR], is_staff=True)


@pytest.fixture
def other_admin():
    person = ResidentFactory(level="full", roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
    AdministratorFactory(building=BuildingFactory(), resident=person)
    return person


# ------------------------------------------------------------------------------------ register


def test_register_import_csv_then_the_same_file_again_writes_nothing_twice(building, administrator):
    client = api(administrator)
    first = client.post(url(building.pk, "register"), {"file": upload("register.csv", CSV_OK)})
    assert first.status_code == 200, first.json()
    body = first.json()
    assert body["premises_created"] == Premise.objects.filter(building=building).count() > 0
    assert body["ownerships_created"] == Ownership.objects.filter(premise__building=building).count() > 0
    assert body["rows"] == len(CSV_OK.strip().splitlines()) - 1
    assert AuditEntry.objects.get(action="housing.register_import").actor == administrator
    before = written()
    again = client.post(url(building.pk, "register"), {"file": upload("register.csv", CSV_OK)})
    assert again.status_code == 422 and again.json()["code"] == "import_rejected"
    assert {e["code"] for e in again.json()["details"]["errors"]} == {"shares_exceed_whole"}
    assert written() == before


def test_register_import_xlsx_by_an_operator(building, operator):
    from gorod.housing.tests.test_register_xlsx import HEADER as REGISTER_HEADER
    from gorod.housing.tests.test_register_xlsx import ROWS

    response = api(operator).post(
        url(building.pk, "register"), {"file": upload("register.xlsx", table_xlsx(ROWS, REGISTER_HEADER), "")}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["premises_created"] == 4 and response.json()["ownerships_created"] == 5


def test_register_rows_with_errors_are_reported_with_codes_and_nothing_is_written(building, administrator):
    header = CSV_OK.splitlines()[0]
    bad = "\n".join(
        [
            header,
            ",flat,50,Ivanov,1,sole,,77-1,2010-01-01",
            "5,palace,50,Ivanov,1,sole,,77-1,2010-01-01",
            "6,flat,-3,Ivanov,1,sole,,77-1,2010-01-01",
            "7,flat,40,Ivanov,3/2,sole,,77-1,2010-01-01",
            "8,flat,40,Ivanov,1,sole,,,01.02.2010",
            "9,flat,40,Ivanov,1,sole,,77-9,2010-01-01",
        ]
    )
    before = written()
    response = api(administrator).post(url(building.pk, "register"), {"file": upload("r.csv", bad)})
    assert response.status_code == 422 and response.json()["code"] == "import_rejected"
    details = response.json()["details"]
    assert [(e["row"], e["column"], e["code"]) for e in details["errors"]] == [
        (2, "premise", "premise_missing"),
        (3, "kind", "premise_kind_unknown"),
        (4, "area", "invalid_area"),
        (5, "share", "invalid_share"),
        (6, "document_number", "document_number_missing"),
        (6, "document_date", "document_date_invalid"),
    ]
    assert details["count"] == 6 and all(e["message"] for e in details["errors"])
    missing = api(administrator).post(url(building.pk, "register"), {"file": upload("r.csv", "number\n1\n")})
    assert missing.json()["details"]["errors"][0]["code"] == "import_columns_missing"
    assert written() == before


# --------------------------------------------------------------------------------------- bills


def test_bills_import_csv_and_xlsx_and_a_reupload_is_unchanged(building, premise, administrator):
    PremiseFactory(building=building, number="13")
    client = api(administrator)
    first = client.post(url(building.pk, "bills"), {"file": upload("bills.csv", BILLS_CSV)})
    assert first.status_code == 200, first.json()
    assert first.json() == {"rows": 3, "created": 2, "replaced": 0, "unchanged": 0}
    assert Bill.objects.get(premise=premise, period=dt.date(2026, 10, 1)).amount_due == 480_000
    before = written()[:4]
    rows = [line.split(",") for line in BILLS_CSV.strip().splitlines()[1:]]
    header = BILLS_CSV.splitlines()[0].split(",")
    again = client.post(url(building.pk, "bills"), {"file": upload("b.xlsx", table_xlsx(rows, header), "")})
    assert again.json() == {"rows": 3, "created": 0, "replaced": 0, "unchanged": 2}
    assert written()[:4] == before


def test_bill_rows_with_errors_are_reported_with_codes_and_nothing_is_written(
    building, premise, administrator
):
    bad = (
        "premise,period,payer_code,service,amount\n"
        "12,2026-10,4400000012,Maintenance,300000\n"
        "12,2026-13,4400000012,Heating,1\n"
        "12,2026-10,4400000099,Water,1\n"
        "12,2026-10,4400000012,Maintenance,5\n"
        "99,2026-10,4400000099,Maintenance,0\n"
        "98,2026-10,4400000098,Maintenance,100\n"
    )
    before = written()
    response = api(administrator).post(url(building.pk, "bills"), {"file": upload("b.csv", bad)})
    assert response.status_code == 422 and response.json()["code"] == "import_rejected"
    assert [(e["row"], e["code"]) for e in response.json()["details"]["errors"]] == [
        (3, "period_invalid"),
        (4, "payer_code_differs"),
        (5, "service_twice"),
        (6, "amount_invalid"),
        (7, "premise_not_found"),
    ]
    assert written() == before


# ------------------------------------------------------------------------------------ readings


def test_readings_import_reports_every_row_as_the_page_does(setting, owner, administrator):
    rows = [["CW-1", "cold_water", owner.email.upper(), "101,5", "", ""]] + [
        [c.replace("{owner}", owner.email) for c in r] for r in BAD_ROWS
    ]
    response = api(administrator).post(
        url(setting["good"].building_id, "readings"),
        {"period": "2026-11", "file": upload("readings.csv", table_csv(rows, HEADER))},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [(r["line"], r["accepted"], r["code"]) for r in body["rows"]] == [
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
    assert (body["accepted"], body["refused"], body["period"]) == (1, 8, "2026-11-01")
    assert all(r["message"] for r in body["rows"] if not r["accepted"])
    assert Reading.objects.get(meter=setting["good"], period=NOV).value_1 == Decimal("101.500")
    assert Reading.objects.filter(period=NOV).count() == 1
    assert AuditEntry.objects.get(action="housing.readings_import").after["accepted"] == 1


def test_readings_xlsx_reupload_awards_nothing_twice(setting, owner, administrator):
    rows: list[list[object]] = [["CW-1", None, owner.email, 102, None, None]]
    client = api(administrator)
    target = url(setting["good"].building_id, "readings")
    first = client.post(target, {"period": "2026-11", "file": upload("r.xlsx", table_xlsx(rows, HEADER), "")})
    assert first.status_code == 200 and first.json()["accepted"] == 1 and first.json()["points"] > 0
    entries = Transfer.objects.count()
    again = client.post(target, {"period": "2026-11", "file": upload("r.xlsx", table_xlsx(rows, HEADER), "")})
    assert again.json()["accepted"] == 1 and again.json()["points"] == 0
    assert Transfer.objects.count() == entries and Reading.objects.count() == 1


def test_readings_without_the_columns_or_a_month_are_refused_and_write_nothing(setting, administrator):
    target = url(setting["good"].building_id, "readings")
    before = written()
    no_columns = api(administrator).post(
        target, {"period": "2026-11", "file": upload("r.csv", "meter,reading\nCW-1,101\n")}
    )
    assert no_columns.status_code == 422 and no_columns.json()["code"] == "readings_import_columns"
    no_month = api(administrator).post(target, {"period": "2026-13", "file": upload("r.csv", "serial\n")})
    assert no_month.status_code == 422 and no_month.json()["code"] == "invalid_input"
    assert written() == before


# ----------------------------------------------------------------------- bad files, permissions


@pytest.mark.parametrize("what", ["register", "bills", "readings"])
def test_bad_files_are_refused_with_a_stable_code_and_nothing_written(building, administrator, what):
    client = api(administrator)
    extra = {"period": "2026-11"} if what == "readings" else {}
    before = written()
    cases = [
        (upload("big.csv", b"a" * (MAX_UPLOAD + 1)), "import_file_too_large"),
        (upload("x.xlsx", b"PK\x03\x04 not a workbook", ""), "import_file_unreadable"),
        (upload("latin1.csv", "premise,area\n\xe9,1\n".encode("latin-1")), "import_file_unreadable"),
        (upload("nul.csv", b"premise,area\n1\x00,1\n"), "import_file_unreadable"),
    ]
    for file, code in cases:
        response = client.post(url(building.pk, what), {**extra, "file": file})
        assert response.status_code == 422 and response.json()["code"] == code, (code, response.json())
        assert response.json()["details"]["field"] == "file"
    as_text = client.post(url(building.pk, what), {**extra, "file": "premise,area"})
    assert as_text.status_code == 422 and as_text.json()["code"] == "invalid_input"
    assert written() == before


@pytest.mark.parametrize("what", ["register", "bills", "readings"])
def test_an_administrator_of_another_building_or_a_resident_gets_nothing(
    building, premise, owner, other_admin, what
):
    MeterFactory(premise=premise, serial="CW-1")
    files = {
        "register": CSV_OK,
        "bills": BILLS_CSV,
        "readings": table_csv([["CW-1", "", owner.email, "101", "", ""]], HEADER),
    }
    extra = {"period": "2026-11"} if what == "readings" else {}
    before = written()
    for person in (other_admin, owner):
        response = api(person).post(url(building.pk, what), {**extra, "file": upload("f.csv", files[what])})
        assert response.status_code == 403 and response.json()["code"] == "not_building_administrator"
        # refused before the file is read: a bad file gets the same answer
        bad = api(person).post(url(building.pk, what), {**extra, "file": upload("f.xlsx", b"PK\x03\x04", "")})
        assert bad.status_code == 403
    assert (
        Client().post(url(building.pk, what), {**extra, "file": upload("f.csv", files[what])}).status_code
        == 401
    )
    missing = api(other_admin).post(url(999_999, what), {**extra, "file": upload("f.csv", files[what])})
    assert missing.status_code == 404 and missing.json()["code"] == "building_not_found"
    assert written() == before

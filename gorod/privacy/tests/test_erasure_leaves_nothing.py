"""Issue 25: erasing a resident who used every service leaves none of their identifying values
in any table (every text column of every model) or any stored file, while the ledger's totals
and the counted ballots stay exactly as they were."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.db.models import Count, Sum
from PIL import Image

from gorod.accounts.models import Address, Resident
from gorod.core.tests.test_images import gps_jpeg
from gorod.housing.models import Premise, PremiseLink
from gorod.news.models import Interests
from gorod.pets import services as pets
from gorod.pets.models import PetMessage, PetNotice
from gorod.points.models import LedgerAccount
from gorod.privacy import services
from gorod.problems.models import Photo, Report
from gorod.voting.models import Ballot

pytestmark = pytest.mark.django_db

PLATE = "А777МР199"
MESSAGE = "Murka is at my flat 41, ring twice after seven"
DOCUMENT = "77-АБ-0042137"


def _text_columns() -> list[tuple[type[models.Model], str]]:
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField | models.FileField):
                found.append((model, field.name))
    return found


def _rows_holding(value: str) -> list[str]:
    hits = []
    for model, name in _text_columns():
        field = model._meta.get_field(name)
        lookup = f"{name}__icontains"
        if isinstance(field, models.JSONField):  # JSON text, as stored
            query = model._default_manager.filter(**{f"{name}__isnull": False})
            pks = [pk for pk, data in query.values_list("pk", name) if value.lower() in str(data).lower()]
        else:
            pks = list(model._default_manager.filter(**{lookup: value}).values_list("pk", flat=True)[:3])
        if pks:
            hits.append(f"{model._meta.label}.{name} {pks}")
    return hits


def _files_holding(values: list[str]) -> list[str]:
    hits = []
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if not path.is_file():
            continue
        content = path.read_bytes()
        hits += [
            f"{path.name}: {v}" for v in values if v.encode() in content or v.lower().encode() in content
        ]
        try:
            with Image.open(io.BytesIO(content)) as image:
                if image.getexif().get_ifd(0x8825):
                    hits.append(f"{path.name}: GPS")
        except Exception:
            continue
    return hits


def _ledger_and_ballots() -> tuple[dict, dict]:
    totals = {
        row["kind"]: row["total"]
        for row in LedgerAccount.objects.values("kind").annotate(total=Sum("balance")).order_by()
    }
    ballots = dict(Ballot.objects.values_list("poll_id").annotate(n=Count("pk")).order_by())
    return totals, ballots


def test_erasing_a_resident_who_used_every_service_leaves_nothing(settings):
    call_command("seed_demo", verbosity=0)
    anna = Resident.objects.get(username="anna")
    anna.phone = "+79995550142"
    anna.save(update_fields=["phone"])
    # What the demo's anna has not done yet: a car plate, a flat, a pet message, a GPS photo.
    Interests.objects.update_or_create(
        resident=anna, defaults={"car_plate": PLATE, "address": Address.objects.first()}
    )
    PremiseLink.objects.create(
        resident=anna, premise=Premise.objects.first(), role="owner", document_number=DOCUMENT
    )
    notice = PetNotice.objects.filter(status="published").exclude(author=anna).first()
    pets.message_send(notice_id=notice.pk, sender=anna, body=MESSAGE)
    report = Report.objects.filter(author=anna).first()
    assert report is not None, "the demo's anna has an Our City report"
    Photo.objects.create(
        report=report,
        file=SimpleUploadedFile("raw.jpg", gps_jpeg()),  # as an older upload was stored: with GPS
        content_type="image/jpeg",
        width=64,
        height=48,
        size=1,
        taken_latitude=Decimal("55.755833"),
        taken_longitude=Decimal("37.615556"),
    )
    identity = [anna.get_full_name(), anna.last_name, anna.email, anna.phone, PLATE, MESSAGE, DOCUMENT]
    assert all(_rows_holding(value) for value in identity)  # the test finds them while they are there
    before = _ledger_and_ballots()

    services.resident_erase(resident=anna)

    assert {value: _rows_holding(value) for value in identity} == {value: [] for value in identity}
    assert _files_holding(identity) == []
    anna.refresh_from_db()
    assert anna.username != "anna" and not PremiseLink.objects.filter(resident=anna).exists()
    assert not Photo.objects.filter(report__author=anna, taken_latitude__isnull=False).exists()
    assert PetMessage.objects.filter(sender=anna).count() == 1  # the conversation's shape stays
    assert _ledger_and_ballots() == before
    call_command("points_check", verbosity=0)

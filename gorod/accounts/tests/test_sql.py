"""Each statement of accounts/sql.py answers what its ORM version answers (ADR 0005); the suite
runs these on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, IntegrityError, models, transaction
from django.utils import timezone

from gorod.accounts import sql
from gorod.accounts.models import ApiToken, IdempotencyRecord, Resident
from gorod.accounts.rules import token_digest
from gorod.accounts.services import api_token_issue, api_token_revoke
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def values(obj: models.Model | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_session_row_is_the_orm_lookup_of_an_unexpired_session():
    store = DjangoSessionStore()
    store["n"] = 1
    store.save()
    now = timezone.now()
    orm = Session.objects.filter(session_key=store.session_key, expire_date__gt=now).first()
    assert orm is not None
    assert values(sql.session_row(DEFAULT_DB_ALIAS, store.session_key, now)) == values(orm)
    later = orm.expire_date + dt.timedelta(seconds=1)
    assert Session.objects.filter(session_key=store.session_key, expire_date__gt=later).first() is None
    assert sql.session_row(DEFAULT_DB_ALIAS, store.session_key, later) is None
    assert sql.session_row(DEFAULT_DB_ALIAS, "missing", now) is None


@pytest.mark.parametrize("with_district", [True, False])
def test_resident_with_district_is_the_orm_select_related(with_district):
    resident = ResidentFactory(home_district=DistrictFactory() if with_district else None)
    orm = Resident.objects.select_related("home_district").filter(pk=resident.pk).first()
    mine = sql.resident_with_district(str(resident.pk))
    assert values(mine) == values(orm)
    assert mine is not None and orm is not None
    # the district is cached on the resident, as select_related leaves it
    assert Resident.home_district.field.is_cached(mine)
    assert values(mine.home_district) == values(orm.home_district)
    assert sql.resident_with_district(resident.pk + 1000) is None
    assert sql.resident_with_district("not a number") is None


def test_live_token_is_the_orm_lookup_of_an_unrevoked_token():
    resident = ResidentFactory()
    token, plain = api_token_issue(resident=resident, name="t")
    digest = token_digest(plain)

    def orm() -> ApiToken | None:
        return ApiToken.objects.select_related("resident").filter(digest=digest, revoked_at=None).first()

    found, expected = sql.live_token(digest), orm()
    assert found is not None and expected is not None
    assert values(found) == values(expected)
    assert values(found.resident) == values(expected.resident)
    api_token_revoke(resident=resident, token_id=token.pk)
    assert orm() is None and sql.live_token(digest) is None


def test_idempotency_claim_and_answer_write_what_the_orm_writes():
    resident = ResidentFactory()
    now = timezone.now()
    fields = {"method": "POST", "path": "/api/v1/x", "request_hash": "h" * 64}
    claim = sql.idempotency_claim(resident_id=resident.pk, key="k1", now=now, **fields)
    reference = IdempotencyRecord.objects.create(resident=resident, key="k2", **fields)
    IdempotencyRecord.objects.filter(pk=reference.pk).update(created_at=now)  # auto_now_add
    assert claim is not None

    def row(pk: int) -> dict[str, Any]:
        record = IdempotencyRecord.objects.get(pk=pk)
        found = values(record)
        assert found is not None
        found.pop("id"), found.pop("key")
        found["body"] = bytes(found["body"])
        return found

    assert row(claim) == row(reference.pk)
    # a taken key: the ORM raises, the statement answers None and writes nothing
    with pytest.raises(IntegrityError), transaction.atomic():
        IdempotencyRecord.objects.create(resident=resident, key="k1", created_at=now, **fields)
    assert sql.idempotency_claim(resident_id=resident.pk, key="k1", now=now, **fields) is None
    assert IdempotencyRecord.objects.filter(resident=resident).count() == 2

    sql.idempotency_answer(claim, 201, "application/json", b'{"ok": true}')
    IdempotencyRecord.objects.filter(pk=reference.pk).update(
        status=201, content_type="application/json", body=b'{"ok": true}'
    )
    assert row(claim) == row(reference.pk)

"""The bearer-token lookup every API request runs, written as SQL (gorod.core.db.rows): it must
find exactly what the ORM query it replaced found, and refuse what that one refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gorod.accounts import selectors, services
from gorod.accounts.models import ApiToken, Resident
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def _fields(instance: object) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_live_token_is_the_orm_row_with_its_resident_in_one_query():
    resident = ResidentFactory(level="standard", home_district=DistrictFactory(), email="a@example.org")
    token, plain = services.api_token_issue(resident=resident, name="phone")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - dt.timedelta(hours=1))
    with CaptureQueriesContext(connection) as captured:
        found = selectors.live_token(plain)
        assert found is not None
        found_resident = found.resident  # already loaded: no second query
    assert len(captured.captured_queries) == 1
    assert _fields(found) == _fields(ApiToken.objects.get(pk=token.pk))
    assert _fields(found_resident) == _fields(Resident.objects.get(pk=resident.pk))
    # converted as the ORM converts (SQLite returns text): aware datetimes, booleans
    assert found.created_at.tzinfo is not None and found.last_used_at.tzinfo is not None
    assert found_resident.is_active is True and found_resident.date_joined.tzinfo is not None
    assert not found._state.adding and found._state.db == "default"
    assert model_to_dict(found_resident)["home_district"] == resident.home_district_id


def test_revoked_and_unknown_tokens_find_nothing():
    resident = ResidentFactory()
    token, plain = services.api_token_issue(resident=resident, name="phone")
    assert selectors.live_token(plain + "x") is None
    assert selectors.live_token("") is None
    services.api_token_revoke(resident=resident, token_id=token.pk)
    assert selectors.live_token(plain) is None


def test_inactive_resident_is_refused_through_the_api():
    resident = ResidentFactory(level="standard")
    _token, plain = services.api_token_issue(resident=resident, name="phone")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert client.get("/api/v1/me").status_code == 200
    Resident.objects.filter(pk=resident.pk).update(is_active=False)
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"

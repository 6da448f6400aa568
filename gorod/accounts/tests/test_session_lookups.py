"""The two lookups every signed-in page runs, written as SQL (gorod.core.db.rows): the session row
and the resident with their home district. They must find what Django's ORM queries found,
and refuse what those refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gorod.accounts.backends import EmailOrPhoneBackend
from gorod.accounts.models import Resident
from gorod.accounts.sessions import SessionStore
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def _fields(instance: object) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_a_saved_session_loads_its_data_in_one_query():
    store = SessionStore()
    store["answer"] = 42
    store.create()
    with CaptureQueriesContext(connection) as captured:
        loaded = SessionStore(session_key=store.session_key)
        assert loaded["answer"] == 42
    assert len(captured.captured_queries) == 1
    assert loaded.session_key == store.session_key


@pytest.mark.parametrize("key", ["expired", "unknown"])
def test_an_expired_or_unknown_session_loads_empty_and_forgets_its_key(key):
    store = SessionStore()
    store["answer"] = 42
    store.create()
    if key == "expired":
        Session.objects.filter(session_key=store.session_key).update(
            expire_date=timezone.now() - dt.timedelta(seconds=1)
        )
        session_key = store.session_key
    else:
        session_key = "x" * 32
    loaded = SessionStore(session_key=session_key)
    assert loaded.load() == {}
    assert loaded.session_key is None


def test_get_user_is_the_orm_resident_with_the_district_already_loaded():
    district = DistrictFactory()
    resident = ResidentFactory(level="full", home_district=district, email="b@example.org")
    with CaptureQueriesContext(connection) as captured:
        found = EmailOrPhoneBackend().get_user(resident.pk)
        assert found is not None
        assert found.home_district == district  # no second query
    assert len(captured.captured_queries) == 1
    assert _fields(found) == _fields(Resident.objects.get(pk=resident.pk))
    assert _fields(found.home_district) == _fields(district)
    assert found.date_joined.tzinfo is not None and found.is_active is True


def test_get_user_without_a_district_and_refusals():
    resident = ResidentFactory(home_district=None)
    found = EmailOrPhoneBackend().get_user(resident.pk)
    assert found is not None and found.home_district is None
    assert EmailOrPhoneBackend().get_user(resident.pk + 1000) is None
    assert EmailOrPhoneBackend().get_user("not a number") is None
    Resident.objects.filter(pk=resident.pk).update(is_active=False)
    assert EmailOrPhoneBackend().get_user(resident.pk) is None


def test_a_signed_in_page_sees_the_resident_through_both_lookups():
    resident = ResidentFactory(first_name="Vera")
    client = Client()
    client.force_login(resident)
    assert client.session[SESSION_KEY] == str(resident.pk)
    page = client.get("/").content.decode()
    assert 'action="/accounts/sign-out/"' in page
    client.cookies["sessionid"] = "y" * 32  # a session the server does not know: signed out
    assert 'action="/accounts/sign-out/"' not in client.get("/").content.decode()

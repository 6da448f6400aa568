"""resident_of at the edge: the signed-in resident, or the refusal each edge already gives."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from config.api import api
from gorod.accounts.edge import NotSignedIn, NotSignedInMiddleware, resident_of, resident_or_none


def _request(user):
    request = RequestFactory().get("/polls/7/?tab=results")
    request.user = user
    return request


def test_signed_in_resident_is_returned(resident):
    request = _request(resident)
    assert resident_of(request) == resident
    assert resident_or_none(request) == resident


@pytest.mark.django_db
def test_anonymous_is_refused_with_401_on_the_api_and_sent_to_sign_in_on_the_site():
    request = _request(AnonymousUser())
    assert resident_or_none(request) is None
    with pytest.raises(NotSignedIn) as refused:
        resident_of(request)

    answer = api.on_exception(request, refused.value)
    assert answer.status_code == 401
    assert json.loads(answer.content)["code"] == "not_authenticated"

    page = NotSignedInMiddleware(lambda r: None).process_exception(request, refused.value)
    assert page is not None and page.status_code == 302
    assert page["Location"] == reverse("accounts:sign_in") + "?next=/polls/7/%3Ftab%3Dresults"


def test_the_middleware_leaves_other_errors_alone():
    assert (
        NotSignedInMiddleware(lambda r: None).process_exception(_request(AnonymousUser()), ValueError())
        is None
    )

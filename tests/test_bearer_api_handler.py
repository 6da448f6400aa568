"""The shorter middleware chain for apps (config/handlers.py): the same answers as the whole chain,
only for cookie-less requests to /api/ signed by a bearer token."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

from config.handlers import Application, BearerApiHandler, is_bearer_api

pytestmark = pytest.mark.django_db

# Each answer's own.
OWN = {"x-request-id"}


def _environ(method: str, path: str, body: bytes = b"", **headers: str) -> dict:
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
    }
    environ.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()})
    return environ


def _call(handler, environ: dict) -> tuple[int, dict[str, str], bytes]:
    answer: dict = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = {k.lower(): v for k, v in headers if k.lower() not in OWN}

    body = b"".join(handler(environ, start_response))
    return answer["status"], answer["headers"], body


def test_the_short_chain_leaves_out_only_what_the_settings_name():
    before = list(settings.MIDDLEWARE)
    BearerApiHandler()
    assert before == settings.MIDDLEWARE  # the site's chain is untouched by building the short one
    # a renamed middleware must not slip back into the short chain unnoticed
    assert set(settings.GOROD_NOT_FOR_BEARER_API) <= set(settings.MIDDLEWARE)
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.GOROD_NOT_FOR_BEARER_API


def test_only_cookie_less_bearer_requests_to_the_api_take_it():
    assert is_bearer_api({"PATH_INFO": "/api/v1/polls", "HTTP_AUTHORIZATION": "Bearer x"})
    assert is_bearer_api({"PATH_INFO": "/api/v1/polls", "HTTP_AUTHORIZATION": "bearer x"})
    assert not is_bearer_api(
        {"PATH_INFO": "/api/v1/polls", "HTTP_AUTHORIZATION": "Bearer x", "HTTP_COOKIE": "a=b"}
    )
    assert not is_bearer_api({"PATH_INFO": "/api/v1/polls"})
    assert not is_bearer_api({"PATH_INFO": "/api/v1/polls", "HTTP_AUTHORIZATION": "Basic eDp5"})
    assert not is_bearer_api({"PATH_INFO": "/voting/", "HTTP_AUTHORIZATION": "Bearer x"})


def test_the_same_answers_as_the_whole_chain(resident, open_poll_for_api, wsgi_in_test):
    from gorod.accounts import services

    _token, plain = services.api_token_issue(resident=resident, name="app")
    bearer = f"Bearer {plain}"
    asked = [
        ("GET", "/api/v1/polls", b"", {}),
        ("GET", f"/api/v1/polls/{open_poll_for_api}", b"", {"Accept-Language": "ru"}),
        ("GET", "/api/v1/me", b"", {"Accept-Language": "en"}),
        ("GET", "/api/v1/points/statement", b"", {}),
        ("GET", "/api/v1/no-such-thing", b"", {}),
        ("POST", f"/api/v1/polls/{open_poll_for_api}/ballot", b"{not json", {}),
        ("POST", f"/api/v1/polls/{open_poll_for_api}/ballot", json.dumps({"answers": []}).encode(), {}),
        ("DELETE", "/api/v1/polls", b"", {}),
    ]
    application = Application()
    whole = WSGIHandler()
    for method, path, body, headers in asked:
        for authorization in (bearer, "Bearer gor_not-a-token"):
            environ = _environ(method, path, body, Authorization=authorization, **headers)
            assert is_bearer_api(environ)
            short_answer = _call(application, environ)
            whole_answer = _call(whole, _environ(method, path, body, Authorization=authorization, **headers))
            assert short_answer[0] == whole_answer[0], (method, path, authorization)
            differing = {
                k: (short_answer[1].get(k), whole_answer[1].get(k))
                for k in set(short_answer[1]) | set(whole_answer[1])
                if short_answer[1].get(k) != whole_answer[1].get(k)
            }
            assert not differing, (method, path, differing)
            assert short_answer[2] == whole_answer[2], (method, path, authorization)


@pytest.fixture
def open_poll_for_api(db):
    from gorod.voting.tests.conftest import make_poll

    return make_poll().pk

"""Schemathesis over the whole /api/v1 schema, in-process (WSGI) against a seeded demo city:
no 5xx, and every documented response matches its schema and content type.

Bounded: ``GOROD_FUZZ_EXAMPLES`` examples per operation (default 6), so CI runs it in about a
minute; raise it locally for a deeper search. Requests carry a resident's bearer token, so the
authenticated surface is exercised too (and the anonymous one for public endpoints).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from config.wsgi import application
from gorod.accounts import services as account_services
from gorod.accounts.models import Resident

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

EXAMPLES = int(os.environ.get("GOROD_FUZZ_EXAMPLES", "6"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# Operations that would end the fuzzing session itself (erasing the fuzzing resident).
SKIP = {"POST /api/v1/me/erase"}


def _fuzz_operation(operation: Any, headers: dict[str, str]) -> list[str]:
    failures: list[str] = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as failure:  # every check's failure, per operation
            failures.append(f"{operation.label}: {str(failure)[:600]}")
            raise

    try:
        run()
    except (Exception, BaseExceptionGroup):  # hypothesis re-raises the failure already recorded
        if not failures:
            raise
    return failures[-1:]


def test_whole_api_has_no_server_errors_and_matches_its_schema(settings):
    settings.GOROD_RATE_LIMITS_ENABLED = False
    call_command("seed_demo", verbosity=0)
    resident = Resident.objects.get(username="anna")
    _token, plain = account_services.api_token_issue(resident=resident, name="fuzz")
    headers = {"Authorization": f"Bearer {plain}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in SKIP:
            continue
        operations += 1
        failures.extend(_fuzz_operation(operation, headers))
    assert operations > 20
    assert failures == [], "\n\n".join(failures)


def test_ids_past_the_database_range_are_refused_not_a_crash(api_client):
    """Found by the fuzzer: a 2**80 in a list of ids was a driver overflow (500)."""
    response = api_client.post(
        "/api/v1/notifications/read", {"ids": [2**80]}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"

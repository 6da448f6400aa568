from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gorod.core.time import city_today
from gorod.missions.models import Challenge, GoalKind, ProofMethod


def make_challenge(**fields: Any) -> Challenge:
    today = city_today()
    districts = fields.pop("districts", [])
    confirmers = fields.pop("confirmers", [])
    defaults: dict[str, Any] = {
        "title": "Sport norms",
        "starts_on": today - dt.timedelta(days=1),
        "ends_on": today + dt.timedelta(days=30),
        "goal_kind": GoalKind.STEPS,
        "goal_amount": 20,
        "unit": "norms",
        "proof_method": ProofMethod.OPERATOR,
        "action": "sport_norms",
        "points_per_unit": 1000,
    }
    defaults.update(fields)
    challenge = Challenge.objects.create(**defaults)
    if districts:
        challenge.districts.set(districts)
    if confirmers:
        challenge.confirmers.set(confirmers)
    return challenge


@pytest.fixture
def challenge(db: Any) -> Challenge:
    return make_challenge()


@pytest.fixture
def operator(db: Any) -> Any:
    from gorod.accounts.tests.factories import ResidentFactory

    return ResidentFactory(level="full", roles=["operator"], is_staff=True)


@pytest.fixture
def partner_staff(db: Any) -> Any:
    from gorod.accounts.tests.factories import ResidentFactory

    return ResidentFactory(level="standard", roles=["partner_staff"], is_staff=True)


def sign_in_browser(page: Any, live_server: Any, user: Any) -> None:
    """Put a signed-in session cookie into the browser (the sign-in form is tested elsewhere)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="gorod.accounts.backends.EmailOrPhoneBackend")
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def restore_ledger_data() -> None:
    """A transactional (browser) test may start from a flushed database: put back the points
    programmes and default earning rules the migrations created (idempotent)."""
    import importlib

    from django.apps import apps

    for name in ("0002_programmes", "0003_default_rules"):
        importlib.import_module(f"gorod.points.migrations.{name}").create(apps, None)

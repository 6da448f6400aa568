"""Staff second factor: with the production setting, operators, moderators, building
administrators, partner staff and admins cannot open the console or the staff pages until they
give a code from their authenticator (TOTP) or a recovery code; residents are not asked."""

from __future__ import annotations

import base64
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gorod.accounts import roles
from gorod.accounts.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
NOW = dt.datetime(2026, 11, 3, 10, 0, tzinfo=dt.UTC)
STAFF_PAGES = {
    roles.OPERATOR: "/console/",
    roles.MODERATOR: "/problems/moderation/",
    roles.BUILDING_ADMINISTRATOR: "/housing/admin/",
    roles.PARTNER_STAFF: "/rewards/desk/",
    roles.ORGANISATION_RESPONDER: "/problems/queue/",
}


@pytest.fixture
def production_setting(settings):
    settings.GOROD_STAFF_SECOND_FACTOR = True
    return settings


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def signed_in(resident) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def current_code(device: TOTPDevice, seconds_later: int = 0) -> str:
    with time_machine.travel(NOW + dt.timedelta(seconds=seconds_later), tick=False):
        return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrol(client: Client, resident) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/accounts/second-factor/?next=/console/")
    assert page.status_code == 200 and "data:image/svg+xml;base64," in page.content.decode()
    device = TOTPDevice.objects.get(user=resident, confirmed=False)
    shown = page.content.decode()
    secret = re.search(r'data-testid="totp-secret">([^<]+)<', shown).group(1).replace(" ", "")
    assert base64.b32decode(secret) == device.bin_key  # the key the page shows is the device's
    done = client.post("/accounts/second-factor/", {"code": current_code(device), "next": "/console/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-f]{16})</code></li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


@pytest.mark.parametrize("role", list(STAFF_PAGES))
def test_staff_cannot_open_staff_pages_without_the_second_factor(production_setting, role):
    staff = ResidentFactory(roles=[role], is_staff=role == roles.OPERATOR)
    client = signed_in(staff)
    response = client.get(STAFF_PAGES[role])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/second-factor/?next=")


def test_an_admin_cannot_open_the_console_without_it(production_setting):
    admin = ResidentFactory(is_staff=True, is_superuser=True)
    client = signed_in(admin)
    assert client.get("/console/").status_code == 302
    assert client.get("/console/accounts/resident/").status_code == 302
    # a form post is refused too, before it changes anything
    assert client.post("/console/accounts/resident/add/", {"username": "x"}).status_code == 302


def test_enrol_then_the_console_opens_and_a_code_is_needed_again_next_session(production_setting):
    operator = ResidentFactory(roles=[roles.OPERATOR], is_staff=True)
    client = signed_in(operator)
    device, _codes = enrol(client, operator)
    assert client.get("/console/").status_code == 200
    # a new session (another browser) asks again; a wrong code is refused, the right one opens it
    other = signed_in(operator)
    assert other.get("/console/").status_code == 302
    wrong = other.post("/accounts/second-factor/", {"code": "000000", "next": "/console/"})
    assert wrong.status_code == 400 and other.get("/console/").status_code == 302
    code = current_code(device, seconds_later=30)
    with time_machine.travel(NOW + dt.timedelta(seconds=30), tick=False):
        ok = other.post("/accounts/second-factor/", {"code": code, "next": "/console/"})
        assert ok.status_code == 302 and ok["Location"] == "/console/"
        assert other.get("/console/").status_code == 200
        # the same code cannot be used twice
        third = signed_in(operator)
        assert third.post("/accounts/second-factor/", {"code": code}).status_code == 400


def test_a_recovery_code_opens_the_console_once(production_setting):
    moderator = ResidentFactory(roles=[roles.MODERATOR])
    _device, codes = enrol(signed_in(moderator), moderator)
    client = signed_in(moderator)
    response = client.post("/accounts/second-factor/", {"code": codes[0], "next": "/problems/moderation/"})
    assert response.status_code == 302
    assert client.get("/problems/moderation/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()  # used up
    again = signed_in(moderator)
    assert again.post("/accounts/second-factor/", {"code": codes[0]}).status_code == 400
    assert again.get("/problems/moderation/").status_code == 302


def test_new_recovery_codes_replace_the_old_ones(production_setting):
    operator = ResidentFactory(roles=[roles.OPERATOR], is_staff=True)
    client = signed_in(operator)
    _device, old = enrol(client, operator)
    page = client.post("/accounts/second-factor/recovery-codes/")
    new = re.findall(r"<li><code>([0-9a-f]{16})</code></li>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_a_wrong_enrolment_code_confirms_nothing(production_setting):
    operator = ResidentFactory(roles=[roles.OPERATOR], is_staff=True)
    client = signed_in(operator)
    client.get("/accounts/second-factor/")
    refused = client.post("/accounts/second-factor/", {"code": "123456"})
    assert refused.status_code == 400
    assert not TOTPDevice.objects.filter(user=operator, confirmed=True).exists()
    assert not StaticToken.objects.filter(device__user=operator).exists()
    assert client.get("/console/").status_code == 302


def test_residents_are_never_asked(production_setting):
    client = signed_in(ResidentFactory())
    assert client.get("/accounts/profile/").status_code == 200
    assert client.get("/housing/").status_code == 200


def test_with_the_setting_off_as_in_the_demo_staff_go_straight_in(settings):
    settings.GOROD_STAFF_SECOND_FACTOR = False
    operator = ResidentFactory(roles=[roles.OPERATOR], is_staff=True)
    assert signed_in(operator).get("/console/").status_code == 200


@pytest.mark.parametrize(("debug", "expected"), [("0", "True"), ("1", "False")])
def test_the_setting_is_on_in_production_and_off_in_the_demo(debug, expected):
    from tests.test_deploy_settings import production_env

    env = {k: v for k, v in production_env().items() if not k.startswith("GOROD_STAFF")}
    env.update(DJANGO_DEBUG=debug)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.GOROD_STAFF_SECOND_FACTOR)",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == expected

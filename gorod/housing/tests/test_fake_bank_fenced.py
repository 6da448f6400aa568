"""The demo's fake bank moves no money: it can never be live with debug off."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.test import Client

from gorod.housing import checks, errors
from gorod.housing.billing import services
from gorod.housing.models import Payment
from gorod.housing.tests.factories import BillFactory
from tests.test_deploy_settings import ROOT, production_env

pytestmark = pytest.mark.django_db
FAKE_BANK = "gorod.housing.providers.FakeBank"


def run_manage(*args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**production_env(), **extra_env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_with_the_fake_bank():
    result = run_manage("check", "--deploy", GOROD_PAYMENT_PROVIDERS=FAKE_BANK)
    assert result.returncode != 0
    assert "fake bank" in result.stderr and "GOROD_PAYMENT_PROVIDERS" in result.stderr


def test_production_has_no_fake_bank_page_and_no_provider_by_default():
    probe = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from gorod.housing import providers\n"
        "page = Client().get('/housing/fakebank/abc/', secure=True, HTTP_HOST='gorod.example.city')\n"
        "print(page.status_code)\n"
        "print(sorted(providers.configured()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**production_env(), "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["404", "[]"]


def test_deploy_check_fails_on_any_provider_that_moves_no_money(settings):
    # However it got there (a settings module of one's own), the deployment check catches it.
    settings.DEBUG = False
    settings.PAYMENT_PROVIDERS = [FAKE_BANK]
    found = checks.no_pretend_payment_provider()
    assert [e.id for e in found] == ["housing.E001"] and "fakebank" in found[0].msg
    settings.DEBUG = True
    assert checks.no_pretend_payment_provider() == []


def test_without_a_provider_no_payment_starts_and_nothing_is_written(settings, premise, owner):
    settings.PAYMENT_PROVIDERS = []
    bill = BillFactory(premise=premise, amount_due=10_000)
    with pytest.raises(errors.PaymentsUnavailable):
        services.payment_start(bill=bill, payer=owner)
    client = Client()
    client.force_login(owner)
    answer = client.post(f"/api/v1/home/bills/{bill.pk}/payments", {}, content_type="application/json")
    assert answer.status_code == 503 and answer.json()["code"] == "payments_unavailable"
    assert not Payment.objects.exists()


def test_an_existing_fake_payment_cannot_be_confirmed_once_the_bank_is_gone(settings, premise, owner):
    bill = BillFactory(premise=premise, amount_due=10_000)
    payment = services.payment_start(bill=bill, payer=owner)
    settings.PAYMENT_PROVIDERS = []
    client = Client()
    client.force_login(owner)
    assert client.post(f"/housing/fakebank/{payment.reference}/", {"decision": "confirm"}).status_code == 404
    callback = client.post("/api/v1/home/payments/callback/fakebank", b"{}", content_type="application/json")
    assert callback.status_code == 404
    shown = client.get(f"/api/v1/home/payments/{payment.reference}")
    assert shown.status_code == 200 and shown.json()["checkout_url"] == ""
    assert Payment.objects.get(pk=payment.pk).state == "created"

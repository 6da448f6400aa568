"""Negative amounts on the resident's pages carry a real minus sign (U+2212), gains a plus;
the API keeps plain numbers for machines (audit of the resident's pages, item 1)."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.points import accounts, services, services_spend

pytestmark = pytest.mark.django_db

MINUS = "\N{MINUS SIGN}"


@pytest.fixture
def in_debt(resident):
    cashback = services.award(
        resident=resident,
        programme="electronic_home",
        action="bill_cashback",
        source_key="pay:minus",
        base_amount=100_000,
    ).transfer
    services_spend.spend(
        resident=resident,
        to_account=accounts.charity_account(2),
        amount=4_000,
        reason="donation",
        source_key="d:minus",
    )
    services_spend.reverse(transfer=cashback, reason="refund")
    return resident


@pytest.mark.parametrize("language", ["ru", "en"])
def test_statement_balance_and_shop_write_debts_and_spends_with_a_minus_sign(in_debt, language):
    client = Client()
    client.force_login(in_debt)
    statement = client.get("/points/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    home = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    shop = client.get("/rewards/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    grouped = "4\N{NO-BREAK SPACE}000" if language == "ru" else "4,000"
    cashback = "5\N{NO-BREAK SPACE}000" if language == "ru" else "5,000"
    assert f"{MINUS}{grouped}" in statement  # the spend and the debt
    assert f"{MINUS}{cashback}" in statement  # the reversal
    assert f"+{cashback}" in statement  # the cashback itself
    for page in (statement, home, shop):
        assert f"{MINUS}{grouped}" in page
        assert f"-{grouped}" not in page and f"-{cashback}" not in page


def test_the_api_keeps_plain_numbers(in_debt, client):
    client.force_login(in_debt)
    assert client.get("/api/v1/points/balance").json()["available"] == -4_000
    lines = client.get("/api/v1/points/statement").json()["lines"]
    assert {line["amount"] for line in lines} == {5_000, -4_000, -5_000}

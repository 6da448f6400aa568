"""The public totals: live city totals from balances, programme figures from the periodic job,
and no sum over the ledger on a visitor's request."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import accounts, selectors, services, services_spend
from gorod.points.models import AccountKind, Programme, ProgrammeIssuance, Transfer

pytestmark = pytest.mark.django_db


def some_movements():
    anna, boris = ResidentFactory(level="full"), ResidentFactory(level="full")
    for n in range(5):
        services.award(resident=anna, programme="active_citizen", action="vote", source_key=f"a:{n}")
        services.award(resident=boris, programme="active_citizen", action="quiz", source_key=f"b:{n}")
    grant = services.award(
        resident=boris,
        programme="electronic_home",
        action="bill_cashback",
        source_key="pay:1",
        base_amount=1_000,
    )
    services_spend.reverse(transfer=grant.transfer, amount=20, reason="refund")
    services_spend.spend(
        resident=anna, to_account=accounts.expired_account(), amount=7, reason="t", source_key="s"
    )
    return anna, boris


def net_by_kind_from_transfers(kind):
    received = Transfer.objects.filter(credit__kind=kind).aggregate(s=Sum("amount"))["s"] or 0
    sent = Transfer.objects.filter(debit__kind=kind).aggregate(s=Sum("amount"))["s"] or 0
    return received - sent


def test_city_totals_from_balances_equal_the_sums_over_the_ledger():
    some_movements()
    city = selectors.city_totals()
    assert city.issued == -net_by_kind_from_transfers(AccountKind.ISSUANCE) == 5 * 20 + 5 * 20 + 50 - 20
    assert city.expired == net_by_kind_from_transfers(AccountKind.EXPIRED) == 7
    assert city.in_wallets == net_by_kind_from_transfers(AccountKind.WALLET) == city.issued - 7
    assert city.spent_in_shop == 0 and city.donated == 0


def test_programme_figures_come_from_the_job_and_are_recounted_when_stale():
    moment = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        some_movements()
        assert services.programme_issuance_refresh() == Programme.objects.count()
        figures = {t.programme.code: t for t in selectors.programme_totals()}
        assert (figures["active_citizen"].issued, figures["active_citizen"].returned) == (200, 0)
        assert (figures["electronic_home"].issued, figures["electronic_home"].returned) == (50, 20)
        assert figures["electronic_home"].computed_at == moment
        # Fresh for 15 minutes: new movements wait for the next count.
        services.award(
            resident=ResidentFactory(level="full"),
            programme="active_citizen",
            action="vote",
            source_key="late",
        )
        assert services.programme_issuance_refresh() == 0
    with time_machine.travel(moment + dt.timedelta(minutes=16), tick=False):
        assert services.programme_issuance_refresh() > 0
        assert ProgrammeIssuance.objects.get(programme__code="active_citizen").issued == 220


def test_the_public_page_never_sums_the_ledger():
    some_movements()
    services.programme_issuance_refresh(force=True)
    with CaptureQueriesContext(connection) as queries:
        page = Client().get(reverse("points:how"))
    assert page.status_code == 200
    assert not any("points_transfer" in q["sql"] for q in queries.captured_queries)
    body = page.content.decode()
    assert "As counted at" in body


def test_before_the_first_count_the_page_says_so():
    page = Client().get(reverse("points:how"))
    assert "Being counted" in page.content.decode()
    assert not ProgrammeIssuance.objects.exists()

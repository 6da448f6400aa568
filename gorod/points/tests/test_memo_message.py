"""A transfer's memo kept as a message id with parameters and shown on the statement in the
reader's language; memos written before (plain text) show as stored (issue 23)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext_noop

from gorod.core.messages import Message
from gorod.points import accounts, selectors, services, services_spend
from gorod.points.models import Transfer

pytestmark = pytest.mark.django_db


def test_memo_is_read_in_each_readers_language_on_the_statement_and_in_the_api(resident):
    with translation.override("en"):  # caused by someone working in English
        award = services.award(
            resident=resident,
            programme="mission_city",
            action="museum_visit",
            source_key="memo:award",
            memo=Message(gettext_noop("Report #%(id)s"), id=42),
        )
    stored = Transfer.objects.get(pk=award.transfer.pk)
    assert stored.memo == "Report #42"  # the English copy for the admin and old readers
    assert stored.memo_message == {"id": "Report #%(id)s", "params": {"id": 42}}
    with translation.override("ru"):
        assert selectors.statement(resident).lines[0].memo == "Сообщение №42"
    with translation.override("en"):
        assert selectors.statement(resident).lines[0].memo == "Report #42"
    client = Client()
    client.force_login(resident)
    with translation.override("en"):  # the language the requests activate ends with the block
        page = client.get("/points/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
        lines = client.get("/api/v1/points/statement", HTTP_ACCEPT_LANGUAGE="ru").json()["lines"]
    assert "Сообщение №42" in page and "Report #42" not in page
    assert lines[0]["memo"] == "Сообщение №42"


def test_a_spend_takes_a_message_memo_too_and_old_plain_memos_show_as_stored(resident):
    services.award(resident=resident, programme="mission_city", action="museum_visit", source_key="memo:in")
    Transfer.objects.filter(source_key="memo:in").update(memo="Written before, as text")
    services_spend.spend(
        resident=resident,
        to_account=accounts.expired_account(),
        amount=100,
        reason="test",
        source_key="memo:out",
        memo=Message(gettext_noop("Report #%(id)s"), id=7),
    )
    with translation.override("ru"):
        memos = [line.memo for line in selectors.statement(resident).lines]
    assert memos == ["Сообщение №7", "Written before, as text"]

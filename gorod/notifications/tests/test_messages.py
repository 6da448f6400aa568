"""Notifications stored as a message id and parameters, read in each reader's language; the
resident's chosen language kept on the account and used for their e-mails (issue 23)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from gorod.accounts.models import Resident
from gorod.accounts.tests.factories import ResidentFactory
from gorod.core.messages import Message
from gorod.notifications import services
from gorod.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

ORDER_READY = "Your order is waiting for pickup: %(reward)s"
REPORT_ACCEPTED = "It was sent to %(organisation)s; the answer is due by %(deadline)s."


@pytest.fixture
def reader(db):
    return ResidentFactory(email="reader@example.org")


def notify_order(resident, *, key="order:1"):
    # sent while an operator works in English: the stored text must not stay English
    with translation.override("en"):
        services.notify(
            resident_ids=[resident.pk],
            kind="order_ready",
            event_key=key,
            title=Message(ORDER_READY, reward="Cinema ticket"),
            body=Message(REPORT_ACCEPTED, organisation="GBU Zhilishchnik", deadline=dt.date(2027, 11, 20)),
        )
    return Notification.objects.get(event_key=key)


def test_a_message_is_read_in_each_readers_language(reader):
    notification = notify_order(reader)
    assert notification.title_message == {"id": ORDER_READY, "params": {"reward": "Cinema ticket"}}
    assert notification.title == "Your order is waiting for pickup: Cinema ticket"  # the English copy
    with translation.override("ru"):
        assert Notification.objects.get(pk=notification.pk).shown_title.startswith("Ваш заказ ждёт")
        assert "ноября 2027" in notification.shown_body
    with translation.override("en"):
        assert notification.shown_title == "Your order is waiting for pickup: Cinema ticket"
        assert "November" in notification.shown_body and "2027" in notification.shown_body


def test_inbox_and_api_show_the_message_in_the_request_language(reader):
    notify_order(reader)
    client = Client()
    client.force_login(reader)
    page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Ваш заказ ждёт" in page and "Your order is waiting" not in page
    items = client.get("/api/v1/notifications", HTTP_ACCEPT_LANGUAGE="ru").json()["items"]
    assert items[0]["title"].startswith("Ваш заказ ждёт")


def test_old_rows_with_whole_text_stay_readable(reader):
    old = Notification.objects.create(
        resident=reader, kind="problems", event_key="old", title="Old text", body="As stored"
    )
    with translation.override("ru"):
        assert (old.shown_title, old.shown_body) == ("Old text", "As stored")


def test_language_switch_keeps_the_choice_on_the_account(reader):
    client = Client()
    client.force_login(reader)
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert response.status_code == 302
    assert Resident.objects.get(pk=reader.pk).language == "ru"
    # a language the site does not offer changes nothing
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert Resident.objects.get(pk=reader.pk).language == "ru"
    # signed out, the switch still works (cookie only)
    assert Client().post("/i18n/setlang/", {"language": "ru", "next": "/"}).status_code == 302


def test_e_mail_goes_in_the_residents_chosen_language(reader):
    Resident.objects.filter(pk=reader.pk).update(language="ru")
    notify_order(reader)  # caused by someone working in English
    (message,) = mail.outbox
    assert message.subject.startswith("Ваш заказ ждёт")
    assert "Отписаться от этих писем" in message.body and "ноября 2027" in message.body


def test_e_mail_in_english_for_a_resident_who_chose_english(reader):
    Resident.objects.filter(pk=reader.pk).update(language="en")
    with translation.override("ru"):
        services.notify(
            resident_ids=[reader.pk],
            kind="order_ready",
            event_key="order:2",
            title=Message(ORDER_READY, reward="Cinema ticket"),
        )
    (message,) = mail.outbox
    assert message.subject == "Your order is waiting for pickup: Cinema ticket"


# A resident who never used the language switch is written to in the city's language (Russian),
# whoever caused the e-mail and whatever language the worker runs in; one who chose English gets
# English though a Russian-speaking neighbour or operator caused it.
MEETING_RESULT = "Results of the owners' meeting: %(title)s"  # gorod/housing/meetings/services.py
REPORT_ANSWERED = "Report #%(id)s has an answer: please rate it"  # gorod/problems/notices.py


@pytest.mark.parametrize(
    ("chosen", "caused_in", "meeting_subject", "report_subject"),
    [
        (
            "",
            "en",
            "Итоги собрания собственников: Roof",
            "На сообщение №7 получен ответ: оцените его, пожалуйста",
        ),
        (
            "ru",
            "en",
            "Итоги собрания собственников: Roof",
            "На сообщение №7 получен ответ: оцените его, пожалуйста",
        ),
        ("en", "ru", "Results of the owners' meeting: Roof", "Report #7 has an answer: please rate it"),
    ],
)
def test_e_mails_go_in_the_recipients_language_not_the_causers(
    reader, chosen, caused_in, meeting_subject, report_subject
):
    Resident.objects.filter(pk=reader.pk).update(language=chosen)
    with translation.override(caused_in):
        services.notify(
            resident_ids=[reader.pk],
            kind="meeting_notice",
            event_key="meeting:1:result",
            title=Message(MEETING_RESULT, title="Roof"),
            body=Message("The protocol is published."),
        )
        services.notify(
            resident_ids=[reader.pk],
            kind="problems",
            event_key="problems:answered:1",
            title=Message(REPORT_ANSWERED, id=7),
        )
    meeting, report = mail.outbox
    assert (meeting.subject, report.subject) == (meeting_subject, report_subject)
    stop = "Stop these e-mails" if chosen == "en" else "Отписаться от этих писем"
    assert stop in meeting.body and stop in report.body
    assert ("Протокол опубликован." in meeting.body) is (chosen != "en")

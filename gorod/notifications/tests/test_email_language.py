"""An e-mail about the city's own content reads in the language it is sent in: a news item's
title (seed text, gorod.core.content) and the e-mail's own words, in Russian and in English."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import translation

from gorod.notifications import services

pytestmark = pytest.mark.django_db(transaction=True)

NEWS_TITLE = "New night bus route N12"  # a demo news item (gorod/news/demo.py)
NEWS_TEXT = "A new night bus connects Aeroport and the centre every 20 minutes from 01:00."


@pytest.mark.parametrize(
    ("language", "subject", "foreign"),
    [
        ("ru", "Новый ночной автобусный маршрут Н12", re.compile(r"\b(?!N12\b)[A-Za-z]{3,}\b")),
        ("en", NEWS_TITLE, re.compile(r"[А-Яа-яЁё]")),
    ],
)
def test_a_news_e_mail_is_in_one_language(resident, language, subject, foreign):
    resident.language = language
    resident.save(update_fields=["language"])
    with translation.override(language):
        services.notify(
            resident_ids=[resident.pk],
            kind="news_digest",
            event_key=f"news:{language}",
            title=NEWS_TITLE,
            body=NEWS_TEXT,
        )
    (message,) = mail.outbox
    assert message.subject == subject
    # Links (the site address, the unsubscribe token) are not words.
    words = re.sub(r"https?://\S+", "", message.body)
    assert not foreign.findall(words), words

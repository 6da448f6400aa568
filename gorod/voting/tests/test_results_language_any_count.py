"""Results name questions, options and districts in the reader's language (gorod.core.content):
the tally keeps the seed's source text, whichever language the close or the first reader had,
and each page translates it as it reads it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from gorod.accounts.tests.factories import ResidentFactory
from gorod.voting import services, tally
from gorod.voting.rules import Answer
from gorod.voting.services import QuestionSpec

from .conftest import make_poll

pytestmark = pytest.mark.django_db

QUESTION = QuestionSpec(
    text="Where is bicycle parking needed most?", options=["At metro exits", "Near parks"]
)


def _page(poll, language: str, resident=None) -> str:
    client = Client()
    if resident is not None:
        client.force_login(resident)
    client.cookies["django_language"] = language
    page = client.get(f"/voting/polls/{poll.pk}/").content.decode()
    return page[page.index('id="results"') :]


def test_published_results_read_in_each_language_whatever_the_close_ran_in():
    with translation.override("ru"):  # an operator closed it from the console in Russian
        poll = make_poll(questions=[QUESTION], status="published")
    english, russian = _page(poll, "en"), _page(poll, "ru")
    assert "Where is bicycle parking needed most?" in english and "At metro exits" in english
    assert "Где велопарковки нужнее всего?" in russian and "У выходов из метро" in russian
    assert "Where is bicycle parking" not in russian and "At metro exits" not in russian
    assert '<th scope="col" class="num">Голоса</th>' in russian  # a count, not «Голосования» (polls)


def test_live_results_counted_for_one_language_read_in_another():
    poll = make_poll(questions=[QUESTION], live=True)
    question = poll.questions.get()
    voter = ResidentFactory(level="full")
    services.ballot_cast(
        poll_id=poll.pk,
        resident=voter,
        answers=[Answer(question_id=question.pk, option_ids=(question.options.first().pk,))],
    )
    with translation.override("en"):
        tally.live(poll)  # the mix job (English) kept the running tally for everyone
    russian = _page(poll, "ru", voter)
    assert "Где велопарковки нужнее всего?" in russian and "У выходов из метро" in russian

"""Published results read in the reader's language: the close job stores the tally with the texts
it read (the default language's), and a Russian page showed them in English with "60.0"."""

from __future__ import annotations

import pytest
from django.utils import translation

from gorod.accounts.tests.factories import ResidentFactory
from gorod.voting import services
from gorod.voting.models import Poll
from gorod.voting.services import QuestionSpec
from gorod.voting.tests.conftest import answers_for, make_poll

pytestmark = pytest.mark.django_db

BICYCLES = [
    QuestionSpec(text="Where is bicycle parking needed most?", options=["At metro exits", "Near parks"]),
    QuestionSpec(text="Near offices", options=["Near parks", "Near offices"]),
]


@pytest.fixture
def published(db):
    poll = make_poll(questions=BICYCLES, status="open")
    for n in range(3):
        services.ballot_cast(
            poll_id=poll.pk, resident=ResidentFactory(level="full"), answers=answers_for(poll, 0, (n % 2,))
        )
    with translation.override("en"):  # the close job runs in the default language
        services.poll_close(poll_id=poll.pk)
        services.poll_results_publish(poll_id=poll.pk)
    return Poll.objects.get(pk=poll.pk)


def test_published_results_are_in_the_pages_language_with_its_decimal_comma(client, published):
    assert published.results["questions"][0]["text"] == "Where is bicycle parking needed most?"
    client.force_login(ResidentFactory(level="full"))
    page = client.get(f"/voting/polls/{published.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "<h3>Где велопарковки нужнее всего?</h3>" in page
    assert "<td>У выходов из метро</td>" in page and "At metro exits" not in page
    assert '<td class="num">100,0</td>' in page
    assert 'value="100.0"' in page  # the progress bar's value stays a number HTML reads


def test_the_results_api_and_the_english_page_keep_english(client, published):
    client.force_login(ResidentFactory(level="full"))
    body = client.get(f"/api/v1/polls/{published.pk}/results", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert body["questions"][0]["options"][0]["text"] == "У выходов из метро"
    page = client.get(f"/voting/polls/{published.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td>At metro exits</td>" in page and '<td class="num">100.0</td>' in page


def test_the_consoles_results_summary_is_in_the_operators_language(client, published):
    client.force_login(ResidentFactory(level="full", roles=["operator"], is_staff=True))
    page = client.get(
        f"/console/voting/poll/{published.pk}/change/", HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    assert "Где велопарковки нужнее всего? — У выходов из метро: 3 (100,0%)" in page

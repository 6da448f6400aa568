"""The answer card on a report shows residents what matters to them (when, whether late, the text
and photos), never the internal moderation state of the answer (audit of the resident's pages,
item 3); moderators still see the state and why an answer was returned."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from gorod.accounts.tests.factories import ResidentFactory
from gorod.problems import services, services_answers
from gorod.problems.tests.conftest import INSIDE, TEXT

pytestmark = pytest.mark.django_db


def cards(person, report, language) -> list[str]:
    client = Client()
    client.force_login(person)
    page = client.get(f"/problems/{report.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return re.findall(r"<article class=\"card\"[^>]*>.*?</article>", page, re.S)


@pytest.fixture
def report(author, topic, organisation, moderator, responder):
    report = services.report_file(
        author=author, topic_code=topic.code, latitude=INSIDE[0], longitude=INSIDE[1], text=TEXT
    )
    services.report_accept(report_id=report.pk, moderator=moderator)
    first = services_answers.answer_submit(report_id=report.pk, responder=responder, text="Will look at it.")
    services_answers.answer_return(answer_id=first.pk, moderator=moderator, reason="No photo of the bench")
    second = services_answers.answer_submit(
        report_id=report.pk, responder=responder, text="The bench was repaired today."
    )
    services_answers.answer_approve(answer_id=second.pk, moderator=moderator)
    return report


@pytest.mark.parametrize(
    ("language", "approved", "returned"), [("en", "approved", "returned"), ("ru", "одобрен", "возвращён")]
)
def test_residents_read_the_approved_answer_without_moderation_states(
    report, author, moderator, language, approved, returned
):
    neighbour = cards(ResidentFactory(level="full"), report, language)
    assert len(neighbour) == 1 and "The bench was repaired today." in neighbour[0]
    assert approved not in neighbour[0] and "No photo of the bench" not in neighbour[0]
    # the author also sees the answer that was sent back, marked so, but not the moderator's reason
    mine = cards(author, report, language)
    (final,) = [card for card in mine if "The bench was repaired today." in card]
    (back,) = [card for card in mine if "Will look at it." in card]
    assert approved not in final and returned in back
    assert "No photo of the bench" not in "".join(mine)
    staff = "".join(cards(moderator, report, language))
    assert approved in staff and returned in staff and "No photo of the bench" in staff


@pytest.mark.parametrize(
    ("language", "meanings"),
    [
        ("en", ["not solved at all", "hardly solved", "partly solved", "solved well", "solved perfectly"]),
        ("ru", ["совсем не решено", "почти не решено", "решено частично", "решено хорошо", "решено отлично"]),
    ],
)
def test_each_score_of_the_rating_says_what_it_means_in_its_label(report, author, language, meanings):
    client = Client()
    client.force_login(author)
    page = client.get(f"/problems/{report.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for score, meaning in enumerate(meanings, start=1):
        # the meaning is inside the radio button's own label, so screen readers announce it
        label = re.search(
            rf'<label[^>]*>\s*<input[^>]*name="score"[^>]*value="{score}"[^>]*>\s*([^<]*)</label>', page
        )
        assert label is not None, score
        assert label.group(1).strip() == f"{score} — {meaning}"

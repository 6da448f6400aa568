from __future__ import annotations

import pytest
from django.test import Client

from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing import errors
from gorod.housing.surveys.services import survey_create
from gorod.housing.tests.factories import BuildingFactory, LinkFactory, PremiseFactory
from gorod.points import selectors as points
from gorod.voting import errors as voting_errors
from gorod.voting import rules as voting_rules
from gorod.voting import services as voting
from gorod.voting.models import Participation, Poll

pytestmark = pytest.mark.django_db


def answer(poll: Poll) -> list[voting_rules.Answer]:
    question = poll.questions.prefetch_related("options").first()
    return [voting_rules.Answer(question_id=question.pk, option_ids=[question.options.first().pk])]


def test_neighbour_survey_reaches_only_the_buildings_residents(building, premise, owner):
    poll = survey_create(
        building=building,
        title="Paint the entrance?",
        questions=[("Which colour?", ["Green", "Blue"])],
        days=7,
        actor=owner,
    )
    assert poll.status == "open" and poll.kind == "neighbour_survey" and not poll.binding
    assert points.balance(owner).balance == 10  # survey_create, standard account
    neighbour = ResidentFactory()
    LinkFactory(resident=neighbour, premise=PremiseFactory(building=building), role="tenant")
    voting.ballot_cast(poll_id=poll.pk, resident=neighbour, answers=answer(poll))
    outsider = ResidentFactory()
    LinkFactory(resident=outsider, premise=PremiseFactory(building=BuildingFactory()), role="owner")
    with pytest.raises(voting_errors.PollNotForYou):
        voting.ballot_cast(poll_id=poll.pk, resident=outsider, answers=answer(poll))
    assert Participation.objects.filter(poll=poll).count() == 1


def test_only_residents_or_administrators_create_surveys(building):
    with pytest.raises(errors.SurveyNotAllowed):
        survey_create(
            building=building, title="x", questions=[("q", ["a", "b"])], days=7, actor=ResidentFactory()
        )
    assert not Poll.objects.exists()


def test_survey_page(building, premise, owner):
    client = Client()
    client.force_login(owner)
    bad = client.post(
        "/housing/surveys/new/",
        {"building": building.pk, "title": "T", "question": "Q", "options": "Only one", "days": 7},
    )
    assert bad.status_code == 422 and not Poll.objects.exists()
    ok = client.post(
        "/housing/surveys/new/",
        {"building": building.pk, "title": "T", "question": "Q", "options": "Yes\nNo", "days": 7},
    )
    assert ok.status_code == 302
    assert b"T" in client.get("/housing/").content

"""Operators build a quiz in the console and publish it through the service, which refuses an
incomplete one; a published quiz's questions are frozen; quests and novelties are edited there."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.accounts.models import AuditEntry
from gorod.accounts.tests.factories import ResidentFactory
from gorod.voting.quizzes.models import Quiz, QuizOption, QuizQuestion, QuizStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


def test_operator_builds_and_publishes_a_quiz(console):
    from .quiz_helpers import quiz_add_form

    response = console.post(
        "/console/voting/quiz/add/",
        quiz_add_form(
            **{
                "questions-TOTAL_FORMS": "1",
                "questions-0-position": "0",
                "questions-0-text": "Which park is the largest?",
                "questions-0-explanation": "",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    quiz = Quiz.objects.get(title="Moscow parks")
    question = QuizQuestion.objects.get(quiz=quiz)
    assert console.get(f"/console/voting/quizquestion/{question.pk}/change/").status_code == 200

    def publish():
        return console.post(
            "/console/voting/quiz/", {"action": "publish", "_selected_action": [quiz.pk]}, follow=True
        )

    refused = publish().content.decode()
    assert "A quiz needs at least one question" in refused
    quiz.refresh_from_db()
    assert quiz.status == QuizStatus.DRAFT
    QuizOption.objects.create(question=question, text="Losiny Ostrov", is_correct=True)
    QuizOption.objects.create(question=question, text="Gorky Park")
    publish()
    quiz.refresh_from_db()
    assert quiz.status == QuizStatus.PUBLISHED
    assert AuditEntry.objects.filter(action="voting.quiz_publish").count() == 1
    frozen = console.get(f"/console/voting/quiz/{quiz.pk}/change/").content.decode()
    assert 'name="questions-0-text"' not in frozen
    for page in ("/console/voting/quest/add/", "/console/voting/rateditem/", "/console/voting/quiz/"):
        assert console.get(page).status_code == 200, page


def test_residents_are_kept_out_of_the_console():
    client = Client()
    client.force_login(ResidentFactory(is_staff=True))
    assert client.get("/console/voting/quiz/").status_code == 403


def test_no_question_can_be_added_to_a_published_quiz(console):
    from .quiz_helpers import make_quiz

    published = make_quiz()
    response = console.post(
        "/console/voting/quizquestion/add/",
        {
            "quiz": published.pk,
            "position": "9",
            "text": "Sneaked in",
            "explanation": "",
            "options-TOTAL_FORMS": "0",
            "options-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not QuizQuestion.objects.filter(text="Sneaked in").exists()

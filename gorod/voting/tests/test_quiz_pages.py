"""Resident pages for quizzes, quests and Pulse of the capital: htmx fragments, plain-form
fallbacks, refusals shown next to the field with nothing written, bounded queries."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from gorod.points import selectors as points_selectors
from gorod.voting.quests import services as services_quests
from gorod.voting.quests.models import QuestProgress
from gorod.voting.quests.services import QuestTaskSpec
from gorod.voting.quizzes.models import QuizAttempt
from gorod.voting.ratings.models import RatedItem, Rating

from .quiz_helpers import make_quiz, right_answers, wrong_first

pytestmark = pytest.mark.django_db


def signed_in(resident) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def form(answers: dict[int, list[int]]) -> dict[str, list[str]]:
    return {f"q{q}": [str(o) for o in ids] for q, ids in answers.items()}


def test_list_shows_quizzes_and_quests_in_bounded_queries(resident, django_assert_max_num_queries):
    for i in range(12):
        make_quiz(title=f"Quiz {i}")
    for i in range(6):
        services_quests.quest_create(
            title=f"Quest {i}",
            published=True,
            tasks=[QuestTaskSpec(kind="code", title=f"Task {j}", code="A1") for j in range(3)],
        )
    client = signed_in(resident)
    with django_assert_max_num_queries(12):
        response = client.get("/voting/quizzes/")
    text = response.content.decode()
    assert response.status_code == 200 and "Quiz 11" in text and "Quest 5" in text
    assert "0 of 3 tasks done" in text
    assert Client().get("/voting/quizzes/").status_code == 200


def test_take_quiz_with_htmx_shows_score_and_correct_answers(resident):
    quiz = make_quiz(reward_correct=True)
    client = signed_in(resident)
    page = client.get(f"/voting/quizzes/{quiz.pk}/").content.decode()
    assert 'hx-post="' in page and "<strong>correct answer</strong>" not in page
    response = client.post(
        f"/voting/quizzes/{quiz.pk}/take/", form(wrong_first(quiz)), HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert response.status_code == 200 and text.lstrip().startswith('<section id="quiz"')
    assert "1 of 2 correct" in text and "You earned 25 points." in text
    assert text.count("<strong>correct answer</strong>") == 3 and "In the Hypatian Chronicle" in text
    assert points_selectors.balance(resident).balance == 25
    again = client.get(f"/voting/quizzes/{quiz.pk}/").content.decode()
    assert "1 of 2 correct" in again and "<form method" not in again.split('id="quiz"')[1]


def test_quiz_refusals_on_the_page_write_nothing(resident):
    quiz = make_quiz()
    client = signed_in(resident)
    first = quiz.questions.order_by("position").first()
    partial = {k: v for k, v in form(right_answers(quiz)).items() if k == f"q{first.pk}"}
    response = client.post(f"/voting/quizzes/{quiz.pk}/take/", partial, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Answer every question." in response.content.decode()
    plain = client.post(f"/voting/quizzes/{quiz.pk}/take/", partial)
    assert plain.status_code == 409  # the quiz's questions decide (quiz_question_unanswered)
    assert not QuizAttempt.objects.exists() and points_selectors.balance(resident).balance == 0
    assert client.post("/voting/quizzes/999999/take/", partial).status_code == 404
    assert client.get("/voting/quizzes/999999/").status_code == 404
    anonymous = Client().post(f"/voting/quizzes/{quiz.pk}/take/", form(right_answers(quiz)))
    assert anonymous.status_code == 302 and not QuizAttempt.objects.exists()


def test_quest_page_code_task_with_htmx(resident):
    quest = services_quests.quest_create(
        title="Code hunt",
        published=True,
        tasks=[
            QuestTaskSpec(kind="code", title="Read the tram news", page_url="/voting/pulse/", code="TRAM"),
            QuestTaskSpec(kind="code", title="Read the park news", page_url="/voting/pulse/", code="PARK"),
        ],
    )
    first, second = quest.tasks.all()
    client = signed_in(resident)
    url = f"/voting/quests/{quest.pk}/tasks/"
    wrong = client.post(f"{url}{first.pk}/", {"code": "TRAIN"}, HTTP_HX_REQUEST="true").content.decode()
    assert "That is not the code shown on the page." in wrong and not QuestProgress.objects.exists()
    early = client.post(f"{url}{second.pk}/", {"code": "PARK"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Do the quest&#x27;s tasks in order" in early and not QuestProgress.objects.exists()
    done = client.post(f"{url}{first.pk}/", {"code": "tram"}, HTTP_HX_REQUEST="true").content.decode()
    assert done.lstrip().startswith('<section id="quest"') and "1 of 2 tasks done" in done
    final = client.post(f"{url}{second.pk}/", {"code": "park"}).content.decode()  # no JS: whole page
    assert "Quest complete" in final and "You earned a bonus of 50 points." in final
    assert client.get(f"/voting/quests/{quest.pk}/").status_code == 200
    assert client.get("/voting/quests/999999/").status_code == 404


def test_pulse_rate_with_htmx_then_see_average(resident, django_assert_max_num_queries):
    items = [RatedItem.objects.create(title=f"Novelty {i}", published=True) for i in range(25)]
    RatedItem.objects.create(title="Hidden draft")
    client = signed_in(resident)
    with django_assert_max_num_queries(10):
        page = client.get("/voting/pulse/")
    text = page.content.decode()
    assert "Novelty 24" in text and "Hidden draft" not in text and text.count('<article class="card"') == 20
    item = items[-1]
    response = client.post(
        f"/voting/pulse/{item.pk}/rate/", {"score": "4", "comment": "Handy"}, HTTP_HX_REQUEST="true"
    )
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<article class="card" id="novelty-{item.pk}"')
    assert "Average 4.0 from 1 rating" in fragment and "You earned 3 points." in fragment
    again = client.post(f"/voting/pulse/{item.pk}/rate/", {"score": "1"}, HTTP_HX_REQUEST="true")
    assert "Average 4.0 from 1 rating" in again.content.decode()
    assert Rating.objects.get().score == 4 and points_selectors.balance(resident).balance == 3
    bad = client.post(f"/voting/pulse/{items[0].pk}/rate/", {"score": "9"}, HTTP_HX_REQUEST="true")
    assert "A rating is a whole number from 1 to 5." in bad.content.decode() and Rating.objects.count() == 1
    plain = client.post(f"/voting/pulse/{items[0].pk}/rate/", {"score": "5"})
    assert plain.status_code == 302 and Rating.objects.count() == 2
    assert "Average 5.0 from 1 rating" in client.get("/voting/pulse/?page=2").content.decode()
    assert Client().get("/voting/pulse/").status_code == 200


def test_api_lists_in_bounded_queries(api_client, django_assert_max_num_queries):
    for i in range(8):
        make_quiz(title=f"Quiz {i}")
        services_quests.quest_create(
            title=f"Quest {i}", published=True, tasks=[QuestTaskSpec(kind="code", title="Task", code="A1")]
        )
    with django_assert_max_num_queries(10):
        quizzes = api_client.get("/api/v1/quizzes")
    with django_assert_max_num_queries(10):
        quests = api_client.get("/api/v1/quests")
    assert len(quizzes.json()) == 8 and len(quests.json()) == 8
    assert Client().get("/api/v1/quizzes").status_code == 401


def test_refused_quiz_is_shown_again_with_the_ticks(resident):
    quiz = make_quiz()
    client = signed_in(resident)
    first = quiz.questions.order_by("position").first()
    partial = {k: v for k, v in form(right_answers(quiz)).items() if k == f"q{first.pk}"}
    html = client.post(f"/voting/quizzes/{quiz.pk}/take/", partial, HTTP_HX_REQUEST="true").content.decode()
    checked = {
        int(v)
        for i in re.findall(r"<input [^>]*>", html)
        if " checked" in i
        for v in re.findall(r'value="(\d+)"', i)
    }
    assert "Answer every question." in html
    assert checked == {int(v) for v in partial[f"q{first.pk}"]} and checked

"""Quests: tasks done in order (vote, quiz, page code), a bonus once at the end; a task out of
order, not done, already done or with a wrong code is refused and nothing is stored."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from conftest import postgres_only
from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import selectors as points_selectors
from gorod.points.models import Transfer
from gorod.voting import services
from gorod.voting.quests import errors
from gorod.voting.quests import services as services_quests
from gorod.voting.quests.models import QuestProgress
from gorod.voting.quests.services import QuestTaskSpec
from gorod.voting.quizzes import services as services_quizzes

from .conftest import answers_for, make_poll
from .quiz_helpers import make_quiz, restore_rules, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def quest_setup():
    poll = make_poll(reward_action="")  # so the balance shows only quiz and quest points
    quiz = make_quiz()
    quest = services_quests.quest_create(
        title="Discover the Arbat",
        published=True,
        tasks=[
            QuestTaskSpec(kind="poll", title="Vote on the square", poll_id=poll.pk),
            QuestTaskSpec(kind="quiz", title="Take the Moscow quiz", quiz_id=quiz.pk),
            QuestTaskSpec(kind="code", title="Find the code", page_url="/voting/pulse/", code="TRAM-42"),
        ],
    )
    tasks = list(quest.tasks.all())
    return quest, tasks, poll, quiz


def post(api_client, quest, task, code: str = ""):
    return api_client.post(
        f"/api/v1/quests/{quest.pk}/tasks/{task.pk}", {"code": code}, content_type="application/json"
    )


def test_quest_in_order_awards_bonus_once(api_client, resident, quest_setup):
    quest, (vote, take, find), poll, quiz = quest_setup
    services.ballot_cast(poll_id=poll.pk, resident=resident, answers=answers_for(poll))
    first = post(api_client, quest, vote)
    assert first.status_code == 201 and first.json() == {
        "quest_id": quest.pk,
        "tasks_done": 1,
        "total": 3,
        "completed": False,
        "points": 0,
    }
    services_quizzes.quiz_take(quiz_id=quiz.pk, resident=resident, answers=right_answers(quiz))
    assert post(api_client, quest, take).json()["tasks_done"] == 2
    last = post(api_client, quest, find, code=" tram 42 ")  # case, spaces and dashes do not matter
    assert last.status_code == 201 and last.json()["completed"] is True and last.json()["points"] == 50
    assert points_selectors.balance(resident).balance == 20 + 50
    again = post(api_client, quest, find, code="TRAM-42")
    assert again.status_code == 409 and again.json()["code"] == "quest_task_already_done"
    assert points_selectors.balance(resident).balance == 70
    assert Transfer.objects.filter(source_key=f"quest:{quest.pk}:{resident.pk}").count() == 1
    shown = api_client.get(f"/api/v1/quests/{quest.pk}").json()
    assert shown["completed"] is True and [t["done"] for t in shown["tasks"]] == [True, True, True]
    assert api_client.get("/api/v1/quests").json()[0]["tasks_done"] == 3


def test_task_out_of_order_is_refused_and_nothing_stored(api_client, resident, quest_setup):
    quest, (_vote, take, find), _poll, quiz = quest_setup
    services_quizzes.quiz_take(quiz_id=quiz.pk, resident=resident, answers=right_answers(quiz))
    for task, code in ((take, ""), (find, "TRAM-42")):
        response = post(api_client, quest, task, code)
        assert response.status_code == 409 and response.json()["code"] == "quest_task_out_of_order"
    assert not QuestProgress.objects.exists()
    assert not Transfer.objects.filter(source_key__startswith="quest:").exists()


def test_task_not_done_is_refused(api_client, resident, quest_setup):
    quest, (vote, take, _find), poll, _quiz = quest_setup
    response = post(api_client, quest, vote)
    assert response.status_code == 409 and response.json()["code"] == "quest_task_not_done"
    assert not QuestProgress.objects.exists()
    services.ballot_cast(poll_id=poll.pk, resident=resident, answers=answers_for(poll))
    assert post(api_client, quest, vote).status_code == 201
    response = post(api_client, quest, take)
    assert response.status_code == 409 and response.json()["code"] == "quest_task_not_done"
    assert QuestProgress.objects.get().tasks_done == 1


def test_wrong_code_is_refused_and_nothing_stored(resident, quest_setup):
    quest = services_quests.quest_create(
        title="Code hunt",
        published=True,
        tasks=[QuestTaskSpec(kind="code", title="Read the news", page_url="/news/", code="LIPA")],
    )
    task = quest.tasks.get()
    for code in ("LIP", "", "LIPA2"):
        with pytest.raises(errors.QuestCodeWrong):
            services_quests.quest_task_complete(
                quest_id=quest.pk, task_id=task.pk, resident=resident, code=code
            )
    assert not QuestProgress.objects.exists() and points_selectors.balance(resident).balance == 0
    step = services_quests.quest_task_complete(
        quest_id=quest.pk, task_id=task.pk, resident=resident, code="lipa"
    )
    assert step.completed and step.points == 50


def test_unknown_quest_or_task_is_not_found(api_client, resident, quest_setup):
    quest, _tasks, _poll, _quiz = quest_setup
    hidden = services_quests.quest_create(
        title="Draft quest", tasks=[QuestTaskSpec(kind="code", title="x", code="X")]
    )
    other_task = hidden.tasks.get()
    response = post(api_client, hidden, other_task, "X")
    assert response.status_code == 404 and response.json()["code"] == "quest_not_found"
    response = post(api_client, quest, other_task, "X")
    assert response.status_code == 404 and response.json()["code"] == "quest_task_not_found"
    assert api_client.get(f"/api/v1/quests/{hidden.pk}").status_code == 404
    assert not QuestProgress.objects.exists()


def test_quest_needs_valid_tasks():
    with pytest.raises(errors.QuestInvalid):
        services_quests.quest_create(title="Empty", tasks=[])
    with pytest.raises(errors.QuestInvalid):
        services_quests.quest_create(
            title="No code", tasks=[QuestTaskSpec(kind="code", title="x", code=" - ")]
        )
    with pytest.raises(errors.QuestInvalid):
        services_quests.quest_create(
            title="No poll", tasks=[QuestTaskSpec(kind="poll", title="x", poll_id=999_999)]
        )


def test_progress_is_per_resident(quest_setup):
    quest, (vote, *_rest), poll, _quiz = quest_setup
    anna, boris = ResidentFactory(level="standard"), ResidentFactory(level="standard")
    services.ballot_cast(poll_id=poll.pk, resident=anna, answers=answers_for(poll))
    services_quests.quest_task_complete(quest_id=quest.pk, task_id=vote.pk, resident=anna)
    with pytest.raises(errors.QuestTaskNotDone):
        services_quests.quest_task_complete(quest_id=quest.pk, task_id=vote.pk, resident=boris)
    assert list(QuestProgress.objects.values_list("resident_id", "tasks_done")) == [(anna.pk, 1)]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_the_last_task_award_the_bonus_once():
    restore_rules()
    resident = ResidentFactory(level="standard")
    quest = services_quests.quest_create(
        title="Race", published=True, tasks=[QuestTaskSpec(kind="code", title="Code", code="GO")]
    )
    task = quest.tasks.get()
    barrier = threading.Barrier(6)
    outcomes: list[str] = []
    lock = threading.Lock()

    def complete() -> None:
        try:
            barrier.wait()
            services_quests.quest_task_complete(
                quest_id=quest.pk, task_id=task.pk, resident=resident, code="go"
            )
            result = "ok"
        except errors.QuestTaskAlreadyDone:
            result = "already_done"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=complete) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already_done"] * 5 + ["ok"]
    assert QuestProgress.objects.get().tasks_done == 1
    assert points_selectors.balance(resident).balance == 50

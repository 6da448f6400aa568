"""Quizzes: taken once inside the window, scored, points for taking part and per correct answer;
every refusal writes nothing and awards nothing."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from conftest import postgres_only
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.points import selectors as points_selectors
from gorod.points.models import Transfer
from gorod.voting.quizzes import errors
from gorod.voting.quizzes import services as services_quizzes
from gorod.voting.quizzes.models import QuizAttempt, QuizOption, QuizStatus
from gorod.voting.quizzes.services import QuizQuestionSpec
from gorod.voting.targeting import Targeting

from .quiz_helpers import api_answers, make_quiz, restore_rules, right_answers, wrong_first


def nothing_written(resident) -> bool:
    return (
        not QuizAttempt.objects.filter(resident=resident).exists()
        and points_selectors.balance(resident).balance == 0
        and not Transfer.objects.filter(source_key__startswith="quiz:").exists()
    )


@pytest.mark.django_db
def test_take_quiz_by_api_shows_score_correct_answers_and_points(api_client, resident):
    quiz = make_quiz(reward_correct=True)
    response = api_client.post(
        f"/api/v1/quizzes/{quiz.pk}/attempt", api_answers(wrong_first(quiz)), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["correct"], data["total"]) == (1, 2)
    assert data["points"] == 20 + 5  # taking part, and 5 for the one correct answer
    first, second = data["questions"]
    assert first["correct"] is False and first["explanation"] == "In the Hypatian Chronicle, 1147."
    assert first["correct_option_ids"] == right_answers(quiz)[first["question_id"]]
    assert second["correct"] is True and len(second["correct_option_ids"]) == 2
    assert points_selectors.balance(resident).balance == 25
    keys = set(Transfer.objects.values_list("source_key", flat=True))
    assert keys == {f"quiz:{quiz.pk}:{resident.pk}", f"quiz:{quiz.pk}:{resident.pk}:correct"}
    again = api_client.get(f"/api/v1/quizzes/{quiz.pk}/result")
    assert again.status_code == 200 and again.json()["correct"] == 1 and again.json()["points"] == 25
    listed = api_client.get("/api/v1/quizzes").json()
    assert [q["id"] for q in listed] == [quiz.pk] and listed[0]["taken"] is True
    assert listed[0]["questions"][1]["multiple"] is True
    assert "is_correct" not in str(api_client.get(f"/api/v1/quizzes/{quiz.pk}").json())


@pytest.mark.django_db
def test_retaking_is_refused_and_changes_nothing(api_client, resident):
    quiz = make_quiz()
    assert (
        api_client.post(
            f"/api/v1/quizzes/{quiz.pk}/attempt",
            api_answers(right_answers(quiz)),
            content_type="application/json",
        ).status_code
        == 201
    )
    again = api_client.post(
        f"/api/v1/quizzes/{quiz.pk}/attempt", api_answers(wrong_first(quiz)), content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "quiz_already_taken"
    attempt = QuizAttempt.objects.get()
    assert attempt.correct == 2 and attempt.points == 20
    assert points_selectors.balance(resident).balance == 20 and Transfer.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("opens", "closes", "code"),
    [(1, 5, "quiz_not_open"), (-5, -1, "quiz_closed")],
)
def test_out_of_window_is_refused(api_client, resident, opens, closes, code):
    now = timezone.now()
    quiz = make_quiz(opens_at=now + dt.timedelta(days=opens), closes_at=now + dt.timedelta(days=closes))
    response = api_client.post(
        f"/api/v1/quizzes/{quiz.pk}/attempt",
        api_answers(right_answers(quiz)),
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == code
    assert nothing_written(resident)


@pytest.mark.django_db
def test_wrong_option_ids_are_refused(api_client, resident):
    quiz = make_quiz()
    other = make_quiz(title="Another quiz")
    answers = right_answers(quiz)
    first, second = list(answers)
    foreign = QuizOption.objects.filter(question__quiz=other).first()
    for bad in (
        {**answers, first: [foreign.pk]},  # another quiz's option
        {**answers, first: answers[second][:1]},  # another question's option
        {**answers, first: [999_999]},  # no such option
        {**answers, 999_999: answers[first]},  # no such question
    ):
        response = api_client.post(
            f"/api/v1/quizzes/{quiz.pk}/attempt", api_answers(bad), content_type="application/json"
        )
        assert response.status_code == 409 and response.json()["code"] == "quiz_option_invalid", bad
    unanswered = api_client.post(
        f"/api/v1/quizzes/{quiz.pk}/attempt",
        api_answers({first: answers[first]}),
        content_type="application/json",
    )
    assert unanswered.status_code == 409 and unanswered.json()["code"] == "quiz_question_unanswered"
    assert unanswered.json()["details"]["field"] == f"q{second}"
    assert nothing_written(resident)


@pytest.mark.django_db
def test_unknown_or_draft_quiz_is_not_found(api_client, resident):
    draft = make_quiz(publish=False)
    for quiz_id in (draft.pk, 999_999):
        response = api_client.post(
            f"/api/v1/quizzes/{quiz_id}/attempt",
            api_answers(right_answers(draft)),
            content_type="application/json",
        )
        assert response.status_code == 404 and response.json()["code"] == "quiz_not_found"
        assert api_client.get(f"/api/v1/quizzes/{quiz_id}").status_code == 404
    not_taken = api_client.get(f"/api/v1/quizzes/{make_quiz().pk}/result")
    assert not_taken.status_code == 404 and not_taken.json()["code"] == "quiz_not_taken"
    assert nothing_written(resident)


@pytest.mark.django_db
def test_targeting_like_polls():
    home, elsewhere = DistrictFactory(), DistrictFactory()
    local = make_quiz(targeting=Targeting.of(district_ids=[home.pk]))
    full_only = make_quiz(title="For full accounts", targeting=Targeting.of(min_level="full"))
    neighbour = ResidentFactory(level="standard", home_district=home)
    stranger = ResidentFactory(level="standard", home_district=elsewhere)
    with pytest.raises(errors.QuizNotForYou):
        services_quizzes.quiz_take(quiz_id=local.pk, resident=stranger, answers=right_answers(local))
    with pytest.raises(errors.QuizLevelTooLow):
        services_quizzes.quiz_take(quiz_id=full_only.pk, resident=neighbour, answers=right_answers(full_only))
    assert nothing_written(stranger) and nothing_written(neighbour)
    from gorod.voting.quizzes import selectors as selectors_quizzes

    assert list(selectors_quizzes.open_quizzes_for(neighbour)) == [local]
    assert list(selectors_quizzes.open_quizzes_for(stranger)) == []


@pytest.mark.django_db
def test_simplified_account_takes_part_without_points():
    quiz = make_quiz(reward_correct=True)
    simple = ResidentFactory(level="simplified")
    result = services_quizzes.quiz_take(quiz_id=quiz.pk, resident=simple, answers=right_answers(quiz))
    assert (result.correct, result.points) == (2, 0)
    assert QuizAttempt.objects.filter(resident=simple).count() == 1


@pytest.mark.django_db
def test_operator_cannot_publish_incomplete_quiz_or_bad_window():
    now = timezone.now()
    with pytest.raises(errors.QuizIncomplete):
        make_quiz(questions=[QuizQuestionSpec(text="No right answer", options=[("a", False), ("b", False)])])
    with pytest.raises(errors.QuizIncomplete):
        make_quiz(questions=[QuizQuestionSpec(text="One option", options=[("a", True)])])
    with pytest.raises(errors.QuizWindowInvalid):
        make_quiz(opens_at=now, closes_at=now)
    draft = make_quiz(publish=False)
    QuizOption.objects.filter(question__quiz=draft).update(is_correct=False)  # as the console could
    with pytest.raises(errors.QuizIncomplete):
        services_quizzes.quiz_publish(quiz_id=draft.pk)
    draft.refresh_from_db()
    assert draft.status == QuizStatus.DRAFT
    published = make_quiz()
    with pytest.raises(errors.QuizNotEditable):
        services_quizzes.quiz_publish(quiz_id=published.pk)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submission_counts_once():
    restore_rules()
    resident = ResidentFactory(level="standard")
    quiz = make_quiz(reward_correct=True)
    answers = right_answers(quiz)
    barrier = threading.Barrier(6)
    outcomes: list[str] = []
    lock = threading.Lock()

    def take() -> None:
        try:
            barrier.wait()
            services_quizzes.quiz_take(quiz_id=quiz.pk, resident=resident, answers=answers)
            result = "ok"
        except errors.QuizAlreadyTaken:
            result = "quiz_already_taken"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=take) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok"] + ["quiz_already_taken"] * 5
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 1
    assert points_selectors.balance(resident).balance == 20 + 2 * 5

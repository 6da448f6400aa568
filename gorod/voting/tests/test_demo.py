from __future__ import annotations

import pytest

from gorod.accounts import demo as accounts_demo
from gorod.voting import demo
from gorod.voting.models import Ballot, Decision, Poll

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_covers_every_stage():
    accounts_demo.seed()
    demo.seed()
    counts = (Poll.objects.count(), Ballot.objects.count(), Decision.objects.count())
    demo.seed()
    assert (Poll.objects.count(), Ballot.objects.count(), Decision.objects.count()) == counts
    statuses = set(Poll.objects.values_list("status", flat=True))
    assert {"open", "published", "archived"} <= statuses
    assert Decision.objects.filter(status="done").exists()
    assert Decision.objects.filter(poll__status="archived").exists()
    published = Poll.objects.get(title=demo.CLOSED_TITLE)
    assert published.ballot_count == 20 and published.results["districts"]  # 12 neighbours in one district


def test_demo_quizzes_quest_in_progress_and_novelties():
    from gorod.accounts.models import Resident
    from gorod.voting.quests.models import QuestProgress
    from gorod.voting.quizzes import demo as demo_quizzes
    from gorod.voting.quizzes.models import Quiz, QuizAttempt
    from gorod.voting.ratings.models import RatedItem, Rating

    accounts_demo.seed()
    demo.seed()
    counts = (
        Quiz.objects.count(),
        QuizAttempt.objects.count(),
        RatedItem.objects.count(),
        Rating.objects.count(),
    )
    demo.seed()
    assert (
        Quiz.objects.count(),
        QuizAttempt.objects.count(),
        RatedItem.objects.count(),
        Rating.objects.count(),
    ) == counts
    assert Quiz.objects.get(title=demo_quizzes.QUIZ_TITLE).status == "published"
    boris = Resident.objects.get(username="boris")
    progress = QuestProgress.objects.get(quest__title=demo_quizzes.QUEST_TITLE, resident=boris)
    assert progress.tasks_done == 1 and progress.completed_at is None
    assert RatedItem.objects.filter(published=True).count() == 3 and Rating.objects.count() == 12

"""Demo quizzes, a quest boris is half-way through, and Pulse of the capital novelties with
neighbours' ratings. Idempotent: everything is looked up by title first; called from demo.seed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts.models import Resident
from gorod.voting.models import Poll
from gorod.voting.quests import services as services_quests
from gorod.voting.quests.models import Quest, QuestProgress
from gorod.voting.quests.services import QuestTaskSpec
from gorod.voting.quizzes import services as services_quizzes
from gorod.voting.quizzes.models import Quiz, QuizAttempt
from gorod.voting.quizzes.services import QuizQuestionSpec
from gorod.voting.ratings import services as ratings
from gorod.voting.ratings.models import RatedItem, Rating

QUIZ_TITLE = gettext_noop("How well do you know Moscow?")
METRO_QUIZ_TITLE = gettext_noop("The Moscow metro in five questions")
QUEST_TITLE = gettext_noop("Discover the Arbat")
QUEST_CODE = "LINDEN"
TRAM_TITLE = gettext_noop("New trams on Prospekt Mira")

NOVELTIES = [
    (
        TRAM_TITLE,
        # The code word is the quest's (QUEST_CODE), the same in every language.
        gettext_noop(
            "Quiet low-floor trams with USB chargers and air conditioning now run on route 17. "
            "Quest code word: LINDEN."
        ),
        [5, 4, 5, 3, 4],
    ),
    (
        gettext_noop("Free Wi-Fi in every metro train"),
        gettext_noop("The MT_FREE network now covers every line, including the Big Circle Line."),
        [4, 4, 2, 5],
    ),
    (
        gettext_noop("Bicycle lanes on the Boulevard Ring"),
        gettext_noop("Eleven kilometres of protected lanes open in May."),
        [3, 5, 4],
    ),
]

QUIZ_QUESTIONS = [
    QuizQuestionSpec(
        text=gettext_noop("In which year is Moscow first mentioned in the chronicles?"),
        options=[("1147", True), ("1247", False), ("1380", False)],
        explanation=gettext_noop("Yury Dolgoruky invited his allies to Moscow in 1147 (Hypatian Chronicle)."),
    ),
    QuizQuestionSpec(
        text=gettext_noop("Which of these rivers flow through Moscow?"),
        options=[
            (gettext_noop("Yauza"), True),
            (gettext_noop("Setun"), True),
            (gettext_noop("Neva"), False),
            (gettext_noop("Oka"), False),
        ],
        explanation=gettext_noop("The Neva flows through St Petersburg; the Oka passes south of Moscow."),
    ),
    QuizQuestionSpec(
        text=gettext_noop("What is the oldest street in Moscow's centre said to be?"),
        options=[
            (gettext_noop("Varvarka"), True),
            (gettext_noop("Tverskaya"), False),
            (gettext_noop("Novy Arbat"), False),
        ],
    ),
]

METRO_QUESTIONS = [
    QuizQuestionSpec(
        text=gettext_noop("When did the Moscow metro open?"), options=[("1935", True), ("1955", False)]
    ),
    QuizQuestionSpec(
        text=gettext_noop("Which is the deepest station?"),
        options=[
            (gettext_noop("Park Pobedy"), True),
            (gettext_noop("Kievskaya"), False),
            (gettext_noop("Lubyanka"), False),
        ],
    ),
]


def _quiz(title: str, questions: list[QuizQuestionSpec], operator: Resident | None, **kw: object) -> Quiz:
    existing = Quiz.objects.filter(title=title).first()
    if existing is not None:
        return existing
    now = timezone.now()
    quiz = services_quizzes.quiz_create(
        title=title,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        questions=questions,
        actor=operator,
        **kw,  # type: ignore[arg-type]
    )
    return services_quizzes.quiz_publish(quiz_id=quiz.pk, actor=operator)


def _novelties() -> None:
    raters = list(Resident.objects.filter(username__startswith="neighbour").order_by("username")[:5])
    for title, description, scores in NOVELTIES:
        item = RatedItem.objects.filter(title=title).first()
        if item is None:
            item = RatedItem.objects.create(title=title, description=description, published=True)
        for rater, score in zip(raters, scores, strict=False):
            if not Rating.objects.filter(item=item, resident=rater).exists():
                ratings.rating_cast(item_id=item.pk, resident=rater, score=score)


def seed(*, quest_poll: Poll | None) -> None:
    """``quest_poll``: the open poll the demo quest sends residents to vote in (seeded by
    ``gorod.voting.demo``, which calls this; None skips the quest)."""
    operator = Resident.objects.filter(username="operator").first()
    _novelties()
    _quiz(
        QUIZ_TITLE,
        QUIZ_QUESTIONS,
        operator,
        description=gettext_noop(
            "Three questions about the city's history. 20 points for taking part, 5 per correct answer."
        ),
        reward_correct=True,
    )
    metro = _quiz(METRO_QUIZ_TITLE, METRO_QUESTIONS, operator)
    square = quest_poll
    quest = Quest.objects.filter(title=QUEST_TITLE).first()
    if quest is None and square is not None:
        quest = services_quests.quest_create(
            title=QUEST_TITLE,
            description=gettext_noop(
                "Three steps around the Arbat: a quiz, a vote and a city novelty. 50 points at the end."
            ),
            published=True,
            tasks=[
                QuestTaskSpec(kind="quiz", title=gettext_noop("Take the metro quiz"), quiz_id=metro.pk),
                QuestTaskSpec(
                    kind="poll", title=gettext_noop("Vote on the renovated Arbat square"), poll_id=square.pk
                ),
                QuestTaskSpec(
                    kind="code",
                    title=gettext_noop("Find the code word in the tram novelty"),
                    page_url="/voting/pulse/",
                    code=QUEST_CODE,
                ),
            ],
            actor=operator,
        )
    boris = Resident.objects.filter(username="boris").first()
    if boris is None or quest is None:
        return
    if not QuizAttempt.objects.filter(quiz=metro, resident=boris).exists():
        answers = {
            q.pk: [o.pk for o in q.options.all() if o.is_correct]
            for q in metro.questions.prefetch_related("options")
        }
        services_quizzes.quiz_take(quiz_id=metro.pk, resident=boris, answers=answers)
    if not QuestProgress.objects.filter(quest=quest, resident=boris).exists():
        first = quest.tasks.order_by("position", "pk").first()
        assert first is not None
        services_quests.quest_task_complete(quest_id=quest.pk, task_id=first.pk, resident=boris)

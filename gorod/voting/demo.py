"""Demo Active Citizen: open, closed (published) and archived polls with decisions. Idempotent:
each poll is looked up by title, and ballots are cast only when the poll is first created."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts.demo import DEMO_PASSWORD
from gorod.accounts.models import AccountLevel, District, Resident
from gorod.core.time import city_today
from gorod.voting import rules, selectors, services
from gorod.voting.budgets import demo as demo_budgets
from gorod.voting.contests import demo as demo_contests
from gorod.voting.decisions import services as services_decisions
from gorod.voting.discussions import demo as demo_discussions
from gorod.voting.models import Poll, QuestionKind
from gorod.voting.quizzes import demo as demo_quizzes
from gorod.voting.services import QuestionSpec
from gorod.voting.targeting import Targeting

OPEN_TITLE = gettext_noop("What should the renovated Arbat square have?")
CLOSED_TITLE = gettext_noop("Where should new bicycle parking go in the centre?")
ARCHIVED_TITLE = gettext_noop("Which courtyard in Aeroport gets a new playground?")
DISTRICT_TITLE = gettext_noop("Should Tverskoy streets get more benches?")


def _voters(count: int) -> list[Resident]:
    """Extra demo neighbours so results and district breakdowns have enough voters."""
    districts = list(District.objects.order_by("pk"))
    voters = []
    for i in range(count):
        username = f"neighbour{i + 1:02d}"
        voter = Resident.objects.filter(username=username).first()
        if voter is None:
            voter = Resident(
                username=username,
                first_name="Neighbour",
                last_name=f"{i + 1:02d}",
                email=f"{username}@demo.gorod.local",
                level=AccountLevel.STANDARD,
                home_district=districts[0 if i < 12 else (i % len(districts))] if districts else None,
            )
            voter.set_password(DEMO_PASSWORD)
            voter.save()
        voters.append(voter)
    return voters


def _poll(
    title: str, questions: list[QuestionSpec], days: tuple[int, int], **kw: object
) -> tuple[Poll, bool]:
    existing = Poll.objects.filter(title=title).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    poll = services.poll_create(
        title=title,
        opens_at=now + dt.timedelta(days=days[0]),
        closes_at=now + dt.timedelta(days=days[1]),
        questions=questions,
        **kw,  # type: ignore[arg-type]
    )
    return poll, True


def _vote_all(poll: Poll, voters: list[Resident], pattern: list[int]) -> None:
    shapes = selectors.question_shapes(poll)
    for i, voter in enumerate(voters):
        answers = []
        for q in shapes:
            options = sorted(q.option_ids)
            answers.append(
                rules.Answer(
                    question_id=q.id, option_ids=(options[pattern[i % len(pattern)] % len(options)],)
                )
            )
        services.ballot_cast(poll_id=poll.pk, resident=voter, answers=answers)


def _point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def seed() -> None:
    operator = Resident.objects.filter(username="operator").first()
    districts = {d.code: d for d in District.objects.all()}
    voters = _voters(20)

    open_poll, created = _poll(
        OPEN_TITLE,
        [
            QuestionSpec(
                text=gettext_noop("What should the square have most?"),
                options=[
                    gettext_noop("Trees and lawns"),
                    gettext_noop("A fountain"),
                    gettext_noop("A children's playground"),
                ],
            ),
            QuestionSpec(
                text=gettext_noop("What else would you add?"),
                options=[
                    gettext_noop("Benches"),
                    gettext_noop("Night lighting"),
                    gettext_noop("Drinking water"),
                    gettext_noop("Bicycle racks"),
                ],
                kind=QuestionKind.MULTIPLE,
                max_choices=2,
                allow_other=True,
            ),
        ],
        (-2, 12),
        description=gettext_noop(
            "The city will renovate the square next summer. Choose what it should have."
        ),
        actor=operator,
    )
    if created:
        services.poll_open(poll_id=open_poll.pk, actor=operator)
        _vote_all(open_poll, voters[:6], [0, 1, 2])

    local, created = _poll(
        DISTRICT_TITLE,
        [
            QuestionSpec(
                text=gettext_noop("More benches on Tverskoy streets?"),
                options=[gettext_noop("Yes"), gettext_noop("No"), gettext_noop("Only in parks")],
            )
        ],
        (-1, 20),
        targeting=Targeting.of(district_ids=[districts["tverskoy"].pk] if "tverskoy" in districts else []),
        live_results=True,
        actor=operator,
    )
    if created:
        services.poll_open(poll_id=local.pk, actor=operator)

    closed, created = _poll(
        CLOSED_TITLE,
        [
            QuestionSpec(
                text=gettext_noop("Where is bicycle parking needed most?"),
                options=[
                    gettext_noop("At metro exits"),
                    gettext_noop("Near parks"),
                    gettext_noop("Near offices"),
                ],
            )
        ],
        (-20, 30),
        actor=operator,
    )
    if created:
        services.poll_open(poll_id=closed.pk, actor=operator)
        _vote_all(closed, voters, [0, 0, 1, 2, 0])
        services.poll_close(poll_id=closed.pk, actor=operator, reason="demo")
        services.poll_results_publish(poll_id=closed.pk, actor=operator)
        with transaction.atomic():
            services_decisions.decision_record(
                title=gettext_noop("Bicycle parking at Arbatskaya metro exits"),
                organisation=gettext_noop("Moscow Transport Department"),
                poll=closed,
                district=districts.get("arbat"),
                location=_point(37.6015, 55.7520),
                planned_on=city_today() + dt.timedelta(days=60),
                actor=operator,  # type: ignore[arg-type]
            )
            services_decisions.decision_record(
                title=gettext_noop("Bicycle parking at Tverskaya metro"),
                organisation=gettext_noop("Moscow Transport Department"),
                poll=closed,
                district=districts.get("tverskoy"),
                location=_point(37.6050, 55.7650),
                planned_on=city_today() + dt.timedelta(days=30),
                actor=operator,  # type: ignore[arg-type]
            )

    archived, created = _poll(
        ARCHIVED_TITLE,
        [
            QuestionSpec(
                text=gettext_noop("Which courtyard first?"),
                options=[
                    gettext_noop("Leningradsky Ave, 62"),
                    gettext_noop("Chernyakhovsky St, 4"),
                    gettext_noop("Usievicha St, 10"),
                ],
            )
        ],
        (-120, -90 + 200),
        targeting=Targeting.of(district_ids=[districts["aeroport"].pk] if "aeroport" in districts else []),
        actor=operator,
    )
    if created:
        services.poll_open(poll_id=archived.pk, actor=operator)
        aeroport = [
            v for v in voters if districts.get("aeroport") and v.home_district_id == districts["aeroport"].pk
        ]
        if aeroport:
            _vote_all(archived, aeroport, [0, 1, 0])
        services.poll_close(poll_id=archived.pk, actor=operator, reason="demo")
        services.poll_results_publish(poll_id=archived.pk, actor=operator)
        services.poll_archive(poll_id=archived.pk, actor=operator)
        with transaction.atomic():
            done = services_decisions.decision_record(
                title=gettext_noop("New playground at Leningradsky Ave, 62"),
                organisation=gettext_noop("Aeroport district council"),
                poll=archived,
                district=districts.get("aeroport"),
                location={
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [37.5290, 55.8025],
                            [37.5310, 55.8025],
                            [37.5310, 55.8035],
                            [37.5290, 55.8035],
                            [37.5290, 55.8025],
                        ]
                    ],
                },
                planned_on=city_today() - dt.timedelta(days=30),
                actor=operator,  # type: ignore[arg-type]
            )
            services_decisions.decision_status_set(decision_id=done.pk, status="in_progress", actor=operator)  # type: ignore[arg-type]
            services_decisions.decision_status_set(decision_id=done.pk, status="done", actor=operator)  # type: ignore[arg-type]

    demo_quizzes.seed(quest_poll=Poll.objects.filter(title=OPEN_TITLE).first())
    demo_discussions.seed()
    demo_contests.seed()
    demo_budgets.seed(voters)

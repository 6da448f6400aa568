"""Demo participatory budget: one round in each phase, so every page has something to show.
Idempotent: each round is looked up by title. Texts are English sources, shown translated."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts.models import AccountLevel, Address, District, Resident
from gorod.voting import rules as poll_rules
from gorod.voting import selectors as poll_selectors
from gorod.voting import services as poll_services
from gorod.voting.budgets import services
from gorod.voting.budgets.models import BudgetRound

# (title, district code or None, budget, rule, rule count, phase to reach, projects)
# project: (title, description, cost in roubles, feasible: None pending / True / reason to reject)
ROUNDS: list[tuple[str, str | None, int, str, int, str, list[tuple[str, str, int, object]]]] = [
    (
        gettext_noop("Tverskoy 2027: small works in courtyards"),
        "tverskoy",
        6_000_000,
        "within_budget",
        0,
        "proposals",
        [
            (gettext_noop("Benches and bins in the courtyard of Tverskaya St, 12"), "", 450_000, None),
            (gettext_noop("A rain shelter at the bus stop on Tverskaya"), "", 1_200_000, None),
        ],
    ),
    (
        gettext_noop("Aeroport 2027: greener streets"),
        "aeroport",
        9_000_000,
        "min_projects",
        2,
        "review",
        [
            (gettext_noop("Lime trees along Chernyakhovsky St"), "", 3_500_000, True),
            (gettext_noop("A flower garden at Aeroport metro"), "", 1_800_000, True),
            (
                gettext_noop("A skating rink on the roof of the shopping centre"),
                "",
                8_500_000,
                gettext_noop("The roof belongs to a private owner; the city cannot build there."),
            ),
            (gettext_noop("Drinking fountains in Timiryazevsky Park"), "", 2_100_000, None),
        ],
    ),
    (
        gettext_noop("Arbat 2027: what the district's budget pays for"),
        "arbat",
        10_000_000,
        "within_budget",
        0,
        "voting",
        [
            (
                gettext_noop("A playground in an Arbat courtyard"),
                gettext_noop("Swings, a sandpit and a soft surface for children under 7."),
                4_000_000,
                True,
            ),
            (gettext_noop("Night lighting in Gogolevsky Boulevard"), "", 3_000_000, True),
            (gettext_noop("Bicycle racks at Smolenskaya metro"), "", 800_000, True),
            (gettext_noop("A public toilet on Old Arbat"), "", 5_500_000, True),
        ],
    ),
    (
        gettext_noop("City budget 2026: neighbourhood libraries"),
        None,
        12_000_000,
        "within_budget",
        0,
        "results",
        [
            (gettext_noop("Longer opening hours at the Arbat library"), "", 3_000_000, True),
            (gettext_noop("A reading room for teenagers in Tverskoy"), "", 7_000_000, True),
            (gettext_noop("New books for the Aeroport library"), "", 6_000_000, True),
            (gettext_noop("Audio books for visually impaired readers"), "", 1_500_000, True),
        ],
    ),
    (
        gettext_noop("City budget 2026: safer crossings"),
        None,
        8_000_000,
        "fixed_count",
        2,
        "implementation",
        [
            (gettext_noop("A raised crossing on Arbat Street"), "", 2_500_000, True),
            (gettext_noop("Traffic lights with countdown on Tverskaya"), "", 3_000_000, True),
            (gettext_noop("Better lighting at the Leningradsky Ave crossing"), "", 1_900_000, True),
        ],
    ),
]

# Which projects each demo voter picks (indexes into the feasible projects), in turn.
PICKS: dict[str, list[tuple[int, ...]]] = {
    "within_budget": [(0, 1), (0, 2), (1, 3), (0, 3), (1,)],
    "fixed_count": [(0, 1), (1, 2), (0, 1)],
}


def _vote(budget_round: BudgetRound, voters: list[Resident]) -> None:
    poll = budget_round.poll
    assert poll is not None
    (shape,) = poll_selectors.question_shapes(poll)
    options = sorted(shape.option_ids)
    patterns = PICKS.get(budget_round.rule, PICKS["within_budget"])
    for i, voter in enumerate(voters):
        picks = tuple(options[j] for j in patterns[i % len(patterns)] if j < len(options))
        answer = poll_rules.Answer(question_id=shape.id, option_ids=picks)
        poll_services.ballot_cast(poll_id=poll.pk, resident=voter, answers=[answer])


# Where demo projects are: an address of the demo register (by its English text) or a point.
PLACES: dict[str, str | tuple[str, str]] = {
    "Benches and bins in the courtyard of Tverskaya St, 12": "Tverskaya St, 12",
    "A rain shelter at the bus stop on Tverskaya": ("55.765800", "37.604100"),
    "Lime trees along Chernyakhovsky St": ("55.802100", "37.536400"),
    "A flower garden at Aeroport metro": "Leningradsky Ave, 62",
    "A playground in an Arbat courtyard": "Arbat St, 10",
    "Night lighting in Gogolevsky Boulevard": ("55.747600", "37.600900"),
    "Bicycle racks at Smolenskaya metro": ("55.749100", "37.582600"),
    "A public toilet on Old Arbat": ("55.750900", "37.590300"),
    "A raised crossing on Arbat Street": "Arbat St, 10",
    "Traffic lights with countdown on Tverskaya": "Tverskaya St, 12",
    "Better lighting at the Leningradsky Ave crossing": "Leningradsky Ave, 62",
}


def _place(title: str) -> dict:
    place = PLACES.get(title)
    if isinstance(place, tuple):
        return {"latitude": Decimal(place[0]), "longitude": Decimal(place[1])}
    address = Address.objects.filter(text=place).first() if place else None
    return {"address_id": address.pk} if address else {}


def seed(voters: list[Resident]) -> None:
    operator = Resident.objects.filter(username="operator").first()
    if operator is None:
        return
    districts = {d.code: d for d in District.objects.all()}
    now = timezone.now()
    order = ["proposals", "review", "voting", "results", "implementation"]
    for title, district_code, budget, rule, count, phase, projects in ROUNDS:
        if BudgetRound.objects.filter(title=title).exists():
            continue
        past = order.index(phase) >= order.index("results")
        budget_round = services.round_create(
            actor=operator,
            title=title,
            description=gettext_noop(
                "Residents proposed these projects; experts checked them; residents decide which the budget pays for."
            ),
            budget_roubles=budget,
            rule=rule,
            rule_count=count,
            district=districts.get(district_code) if district_code else None,
            min_level=AccountLevel.SIMPLIFIED,
            # voting rounds are open now (results ones close early); proposals vote in 3 weeks
            voting_opens_at=now + dt.timedelta(days=-10 if past or phase == "voting" else 20),
            voting_closes_at=now + dt.timedelta(days=14 if past or phase == "voting" else 44),
        )
        made = [
            services.project_add(
                round_id=budget_round.pk,
                actor=operator,
                title=p_title,
                description=p_text,
                cost_roubles=cost,
                **_place(p_title),
            )
            for p_title, p_text, cost, _review in projects
        ]
        if phase == "proposals":
            continue
        services.round_advance(round_id=budget_round.pk, actor=operator)  # → review
        for project, (_t, _d, _c, review) in zip(made, projects, strict=True):
            if review is True:
                services.project_review(project_id=project.pk, actor=operator, feasible=True)
            elif isinstance(review, str):
                services.project_review(project_id=project.pk, actor=operator, feasible=False, reason=review)
        if phase == "review":
            continue
        budget_round = services.round_advance(round_id=budget_round.pk, actor=operator)  # → voting
        local = [
            v
            for v in voters
            if not budget_round.district_id or v.home_district_id == budget_round.district_id
        ]
        _vote(budget_round, local[: 6 if phase == "voting" else 15])
        if phase == "voting":
            continue
        services.round_advance(round_id=budget_round.pk, actor=operator)  # → results (early close)
        if phase == "implementation":
            services.round_advance(round_id=budget_round.pk, actor=operator)

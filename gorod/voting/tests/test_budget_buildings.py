# ruff: noqa: F811  (the fixtures imported from test_budgets are parameters here)
"""A budget round for particular buildings (issue 27): the round keeps its buildings, the poll it
opens carries them in its targeting, so a verified resident of one votes and a resident of the
district living elsewhere is refused on the ballot page and in the API with nothing written; the
round page tells a signed-in resident which side they are on, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gorod.accounts import services as accounts_services
from gorod.accounts.tests.factories import ResidentFactory
from gorod.voting import errors as poll_errors
from gorod.voting import services as poll_services
from gorod.voting import targeting
from gorod.voting.budgets import services
from gorod.voting.models import Participation, PendingBallot, Poll, PollBuilding

from .test_budgets import _answer, _to_voting, district  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

BUILDING, OTHER_BUILDING = 4101, 4102


@pytest.fixture
def residents(district):
    inside = ResidentFactory(home_district=district)
    outside = ResidentFactory(home_district=district)  # same district, another building

    class Directory:
        def buildings_of(self, resident_id):
            return {BUILDING} if resident_id == inside.pk else {OTHER_BUILDING}

        def residents_of(self, building_ids):
            return {inside.pk} if BUILDING in building_ids else set()

    registered = targeting.building_directory()  # housing's, when it is installed
    targeting.register_building_directory(Directory())
    yield inside, outside
    targeting.register_building_directory(registered)


@pytest.fixture
def building_round(operator, district):
    now = timezone.now()
    created = services.round_create(
        actor=operator,
        title="Courtyard of Arbat 10",
        budget_roubles=2_000_000,
        district=district,
        building_ids=[BUILDING],
        voting_opens_at=now - dt.timedelta(hours=1),
        voting_closes_at=now + dt.timedelta(days=7),
    )
    for title in ("Bench row A", "Tree line B"):
        services.project_add(round_id=created.pk, actor=operator, title=title, cost_roubles=900_000)
    return created


def _ballot_body(budget_round, *titles):
    (answer,) = _answer(budget_round, *titles)
    return {"answers": [{"question_id": answer.question_id, "option_ids": list(answer.option_ids)}]}


def test_the_rounds_poll_is_for_its_buildings_inside_votes_outside_is_refused(
    operator, building_round, residents
):
    inside, outside = residents
    budget_round = _to_voting(building_round, operator)
    assert list(
        PollBuilding.objects.filter(poll_id=budget_round.poll_id).values_list("building_id", flat=True)
    ) == [BUILDING]
    with pytest.raises(poll_errors.PollNotForYou):
        poll_services.ballot_cast(
            poll_id=budget_round.poll_id, resident=outside, answers=_answer(budget_round, "Bench row A")
        )
    # the API: refused, nothing written
    _token, plain = accounts_services.api_token_issue(resident=outside, name="t")
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {plain}").post(
        f"/api/v1/polls/{budget_round.poll_id}/ballot",
        _ballot_body(budget_round, "Bench row A"),
        content_type="application/json",
    )
    assert refused.status_code == 403 and refused.json()["code"] == "poll_not_for_you"
    assert not Participation.objects.filter(resident=outside).exists()
    assert not PendingBallot.objects.filter(poll_id=budget_round.poll_id).exists()
    # the ballot page: no form for the outsider, the reason instead; a form for the insider
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(outside)
    shown = page.get(f"/voting/polls/{budget_round.poll_id}/").content.decode()
    assert "residents of other areas or buildings" in shown and 'name="q' not in shown
    posted = page.post(f"/voting/polls/{budget_round.poll_id}/ballot/", {})
    assert posted.status_code in (403, 200) and not Participation.objects.filter(resident=outside).exists()
    _token, plain = accounts_services.api_token_issue(resident=inside, name="t")
    taken = Client(HTTP_AUTHORIZATION=f"Bearer {plain}").post(
        f"/api/v1/polls/{budget_round.poll_id}/ballot",
        _ballot_body(budget_round, "Bench row A", "Tree line B"),
        content_type="application/json",
    )
    assert taken.status_code == 201, taken.content
    assert Participation.objects.filter(resident=inside, poll_id=budget_round.poll_id).exists()


def test_the_api_creates_and_reads_a_round_for_buildings(operator, district):
    _token, plain = accounts_services.api_token_issue(resident=operator, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    now = timezone.now()
    body = {
        "title": "Two houses",
        "budget_roubles": 1_000_000,
        "district_id": district.pk,
        "building_ids": [BUILDING, OTHER_BUILDING, BUILDING],
        "voting_opens_at": (now + dt.timedelta(days=1)).isoformat(),
        "voting_closes_at": (now + dt.timedelta(days=8)).isoformat(),
    }
    created = client.post("/api/v1/budgets", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["building_ids"] == [BUILDING, OTHER_BUILDING]
    assert Client().get(f"/api/v1/budgets/{created.json()['id']}").json()["building_ids"] == [
        BUILDING,
        OTHER_BUILDING,
    ]
    refused = client.post("/api/v1/budgets", {**body, "building_ids": [0]}, content_type="application/json")
    assert refused.status_code == 422
    assert not Poll.objects.exists()


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_round_page_says_who_may_vote(lang, operator, building_round, residents):
    inside, outside = residents
    expected = {
        "ru": (
            "подтверждённые жители 1 дома",
            "Вы можете голосовать",
            "Этот тур — для жителей других домов.",
        ),
        "en": (
            "verified residents of 1 building",
            "You may vote in this round.",
            "This round is for residents of other buildings.",
        ),
    }[lang]
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(inside)
    page = client.get(f"/voting/budgets/{building_round.pk}/").content.decode()
    assert expected[0] in page and expected[1] in page and 'data-testid="may-vote"' in page
    client.force_login(outside)
    page = client.get(f"/voting/budgets/{building_round.pk}/").content.decode()
    assert expected[2] in page and 'data-testid="may-not-vote"' in page


@pytest.mark.parametrize(
    ("lang", "too_low", "elsewhere"),
    [
        (
            "en",
            "To vote in this round you need a full account or higher.",
            "for residents of the Arbat district.",
        ),
        ("ru", "нужна учётная запись уровня «подтверждённая» или выше.", "для жителей района Арбат."),
    ],
)
def test_a_resident_who_may_not_vote_is_told_the_actual_reason(lang, operator, district, too_low, elsewhere):
    """The red badge names the one check that failed (the level, or the round's district), not a
    list of everything that might have."""
    now = timezone.now()
    district.name = "Арбат" if lang == "ru" else "Arbat"
    district.save()
    budget_round = services.round_create(
        actor=operator,
        title="Arbat courtyards",
        budget_roubles=2_000_000,
        district=district,
        min_level="full",
        voting_opens_at=now - dt.timedelta(hours=1),
        voting_closes_at=now + dt.timedelta(days=7),
    )
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(ResidentFactory(home_district=district, level="standard"))
    page = client.get(f"/voting/budgets/{budget_round.pk}/").content.decode()
    assert too_low in page and elsewhere not in page
    client.force_login(ResidentFactory(level="full"))  # a district of its own
    page = client.get(f"/voting/budgets/{budget_round.pk}/").content.decode()
    assert elsewhere in page and too_low not in page

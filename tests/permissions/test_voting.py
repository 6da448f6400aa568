"""Permission matrix of Active Citizen: the operator's and moderator's console against every role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gorod.voting import mix as services_mix
from gorod.voting import services
from gorod.voting.decisions import services as services_decisions
from gorod.voting.models import Decision, DecisionStatus, ModerationStatus, OtherAnswer, Poll, PollStatus
from gorod.voting.ratings.models import RatedItem, Rating
from gorod.voting.tests.conftest import answers_for, make_poll
from tests.permissions.conftest import ROLES, STAFF, Cast, as_expected, nothing_written

pytestmark = pytest.mark.django_db

SIGNED_IN = frozenset(ROLES) - {"anonymous"}
CITY_STAFF = frozenset({"operator", "admin"})

EXPECTED: dict[str, frozenset[str]] = {
    "console_polls": CITY_STAFF,
    "console_poll_open": CITY_STAFF,
    "console_decision_start": CITY_STAFF,
    "console_other_answers": frozenset({"moderator", "operator", "admin"}),
    "console_other_answer_approve": frozenset({"moderator", "operator", "admin"}),
    "see_draft_poll": CITY_STAFF,
    "closed_results_before_publication": CITY_STAFF,
    "cast_ballot": SIGNED_IN,
    "rate_novelty": SIGNED_IN,
}
# Actions that write: a refusal must leave every business table as it was.
WRITES = {
    "console_poll_open",
    "console_decision_start",
    "console_other_answer_approve",
    "cast_ballot",
    "rate_novelty",
}


@pytest.fixture
def world(cast: Cast) -> dict[str, Any]:
    poll_with_other = make_poll()
    services.ballot_cast(
        poll_id=poll_with_other.pk,
        resident=cast.user("other_resident"),
        answers=answers_for(poll_with_other, other="A dog park"),
    )
    services_mix.ballots_mix(poll_id=poll_with_other.pk, final=True)  # texts arrive with the mix
    decision = services_decisions.decision_record(
        title="Renovate Gorky Park", organisation="Parks dept", actor=cast.user("operator")
    )
    return {
        "draft": make_poll(status="draft", title="Draft poll"),
        "open": make_poll(),
        "closed": make_poll(status="closed"),
        "other": OtherAnswer.objects.get(poll=poll_with_other),
        "decision": decision,
        "novelty": RatedItem.objects.create(title="New tram", published=True),
    }


def _console_action(client: Client, changelist: str, action: str, pk: Any) -> int:
    return client.post(
        changelist, {"action": action, "_selected_action": [str(pk)], "index": "0"}
    ).status_code


def attempts(world: dict[str, Any]) -> dict[str, Callable[[Client], bool]]:
    def poll_open(client: Client) -> bool:
        _console_action(client, "/console/voting/poll/", "open_now", world["draft"].pk)
        return Poll.objects.get(pk=world["draft"].pk).status == PollStatus.OPEN

    def decision_start(client: Client) -> bool:
        _console_action(client, "/console/voting/decision/", "start", world["decision"].pk)
        return Decision.objects.get(pk=world["decision"].pk).status == DecisionStatus.IN_PROGRESS

    def other_approve(client: Client) -> bool:
        _console_action(client, "/console/voting/otheranswer/", "approve", world["other"].pk)
        return OtherAnswer.objects.get(pk=world["other"].pk).status == ModerationStatus.APPROVED

    def ballot(client: Client) -> bool:
        poll = world["open"]
        answers = [
            {"question_id": a.question_id, "option_ids": list(a.option_ids), "other": a.other}
            for a in answers_for(poll)
        ]
        response = client.post(
            f"/api/v1/polls/{poll.pk}/ballot", {"answers": answers}, content_type="application/json"
        )
        return response.status_code == 201

    def rate(client: Client) -> bool:
        response = client.post(
            f"/api/v1/ratings/items/{world['novelty'].pk}",
            {"score": 5, "comment": ""},
            content_type="application/json",
        )
        return response.status_code == 201 and Rating.objects.filter(item=world["novelty"]).exists()

    return {
        "console_polls": lambda c: c.get("/console/voting/poll/").status_code == 200,
        "console_poll_open": poll_open,
        "console_decision_start": decision_start,
        "console_other_answers": lambda c: c.get("/console/voting/otheranswer/").status_code == 200,
        "console_other_answer_approve": other_approve,
        "see_draft_poll": lambda c: c.get(f"/api/v1/polls/{world['draft'].pk}").status_code == 200,
        "closed_results_before_publication": lambda c: (
            c.get(f"/api/v1/polls/{world['closed'].pk}/results").status_code == 200
        ),
        "cast_ballot": ballot,
        "rate_novelty": rate,
    }


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_permission_matrix(cast, world, action):
    results = {}
    for role in ROLES:
        attempt = attempts(world)[action]
        if action in WRITES and role not in EXPECTED[action]:
            with nothing_written():
                results[role] = attempt(cast.client(role))
        else:
            results[role] = attempt(cast.client(role))
            if results[role] and action in WRITES:
                # Put the world back for the next role (a ballot is final, a status moves on).
                _reset(world, action, cast, role)
    as_expected(results, EXPECTED[action])


def _reset(world: dict[str, Any], action: str, cast: Cast, role: str) -> None:
    if action == "console_poll_open":
        world["draft"] = make_poll(status="draft", title=f"Draft poll {role}")
    elif action == "console_decision_start":
        world["decision"] = services_decisions.decision_record(
            title=f"Decision {role}", organisation="Parks dept", actor=cast.user("operator")
        )
    elif action == "console_other_answer_approve":
        extra_poll = make_poll()
        services.ballot_cast(
            poll_id=extra_poll.pk,
            resident=cast.user("resident"),
            answers=answers_for(extra_poll, other="Skate park"),
        )
        services_mix.ballots_mix(poll_id=extra_poll.pk, final=True)
        world["other"] = OtherAnswer.objects.get(poll=extra_poll)


def test_tenant_staff_see_no_console_page_of_active_citizen(cast, world):
    for role in sorted(STAFF - {"operator", "admin", "moderator"}):
        client = cast.client(role)
        for url in ("/console/voting/poll/", "/console/voting/decision/", "/console/voting/rateditem/"):
            assert client.get(url).status_code == 403, (role, url)
        assert b"voting" not in client.get("/console/").content, role


@pytest.mark.parametrize("role", sorted(frozenset(ROLES) - {"anonymous"}))
def test_console_services_check_the_actor_too(cast, world, role):
    """The console gates by role; the services refuse anyone else whatever door they came by."""
    from gorod.core.errors import DomainError

    actor = cast.user(role)
    if role in EXPECTED["console_other_answer_approve"]:
        services.other_answer_moderate(answer_id=world["other"].pk, approve=True, actor=actor)
    else:
        with nothing_written(), pytest.raises(DomainError):
            services.other_answer_moderate(answer_id=world["other"].pk, approve=True, actor=actor)
        assert OtherAnswer.objects.get(pk=world["other"].pk).status == ModerationStatus.PENDING
    if role in EXPECTED["console_decision_start"]:
        services_decisions.decision_status_set(
            decision_id=world["decision"].pk, status="in_progress", actor=actor
        )
    else:
        with nothing_written(), pytest.raises(DomainError):
            services_decisions.decision_status_set(
                decision_id=world["decision"].pk, status="in_progress", actor=actor
            )
        assert Decision.objects.get(pk=world["decision"].pk).status == DecisionStatus.PLANNED

from __future__ import annotations

import re

import pytest
from django.test import Client

from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.points import selectors as points_selectors
from gorod.voting import mix as services_mix
from gorod.voting import services
from gorod.voting.decisions.services import decision_record
from gorod.voting.models import Ballot, Decision, OtherAnswer, Participation, Poll
from gorod.voting.targeting import Targeting

from .conftest import answers_for, make_poll

pytestmark = pytest.mark.django_db


def signed_in(resident) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def form_for(poll, first=0, second=(0,), other=""):
    q1, q2 = list(poll.questions.all())[:2]
    return {
        f"q{q1.pk}": [str(list(q1.options.all())[first].pk)],
        f"q{q2.pk}": [str(list(q2.options.all())[i].pk) for i in second],
        f"other{q2.pk}": other,
    }


def test_poll_list_query_count(resident, django_assert_max_num_queries):
    for i in range(25):
        make_poll(title=f"Poll {i}")
    client = signed_in(resident)
    with django_assert_max_num_queries(15):
        response = client.get("/voting/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == 20  # paginated
    assert signed_in(resident).get("/voting/?page=2").status_code == 200


def test_vote_with_htmx_shows_receipt_without_reload(resident, open_poll):
    client = signed_in(resident)
    page = client.get(f"/voting/polls/{open_poll.pk}/")
    assert b'hx-post="' in page.content
    response = client.post(
        f"/voting/polls/{open_poll.pk}/ballot/", form_for(open_poll, other="Fountain"), HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert text.lstrip().startswith('<section id="ballot"')  # a fragment, not a page
    assert 'data-testid="receipt-code"' in text
    assert not OtherAnswer.objects.filter(poll=open_poll).exists()  # sealed until the mix
    services_mix.ballots_mix(poll_id=open_poll.pk, final=True)
    assert OtherAnswer.objects.filter(poll=open_poll, text="Fountain").count() == 1
    assert points_selectors.balance(resident).balance == 20
    again = client.get(f"/voting/polls/{open_poll.pk}/")
    assert b"You have voted in this poll." in again.content


def test_vote_without_javascript_and_refusal_next_to_field(resident, open_poll):
    client = signed_in(resident)
    bad = form_for(open_poll, second=(0, 1, 2))
    response = client.post(f"/voting/polls/{open_poll.pk}/ballot/", bad)
    assert response.status_code == 409  # the question's limit (too_many_choices)
    assert "Too many answers chosen" in response.content.decode()
    assert Participation.objects.count() == 0 and Ballot.objects.count() == 0
    assert points_selectors.balance(resident).balance == 0
    ok = client.post(f"/voting/polls/{open_poll.pk}/ballot/", form_for(open_poll))
    assert ok.status_code == 200 and b"Your receipt code" in ok.content


def _checked_option_ids(html: str) -> set[int]:
    """The option ids of the ballot's inputs rendered as checked."""
    inputs = re.findall(r"<input [^>]*>", html)
    return {int(m) for i in inputs if " checked" in i for m in re.findall(r'value="(\d+)"', i)}


@pytest.mark.parametrize("htmx", [True, False])
def test_refused_ballot_is_shown_again_with_the_voters_ticks(resident, open_poll, htmx):
    """A refusal must not lose what the voter chose: the same options come back checked and the
    "other" text is still there, with nothing written."""
    client = signed_in(resident)
    bad = form_for(open_poll, first=1, second=(0, 1, 2), other="A fountain")
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(f"/voting/polls/{open_poll.pk}/ballot/", bad, **headers)
    html = response.content.decode()
    assert "Too many answers chosen" in html
    sent = {int(v) for key, values in bad.items() if key.startswith("q") for v in values}
    assert len(sent) == 4 and _checked_option_ids(html) == sent
    assert 'value="A fountain"' in html
    assert Participation.objects.count() == 0
    fresh = client.get(f"/voting/polls/{open_poll.pk}/").content.decode()
    assert _checked_option_ids(fresh) == set() and 'value="A fountain"' not in fresh


def test_partly_filled_ballot_is_refused_and_keeps_what_was_ticked(resident, open_poll):
    """The first question left blank: the refusal names it and the second question's ticks and
    "other" text come back in the form, with no ballot written."""
    client = signed_in(resident)
    q2 = list(open_poll.questions.all())[1]  # the first question is left blank
    ticked = [o.pk for o in list(q2.options.all())[:2]]
    response = client.post(
        f"/voting/polls/{open_poll.pk}/ballot/",
        {f"q{q2.pk}": [str(pk) for pk in ticked], f"other{q2.pk}": "A fountain"},
    )
    html = response.content.decode()
    assert response.status_code == 409 and "Answer every question." in html
    assert _checked_option_ids(html) == set(ticked)
    assert 'value="A fountain"' in html
    assert Participation.objects.count() == 0 and Ballot.objects.count() == 0


def test_outsider_sees_refusal_and_cannot_vote(resident):
    poll = make_poll(targeting=Targeting.of(district_ids=[DistrictFactory().pk]))
    client = signed_in(resident)
    assert b"other areas or buildings" in client.get(f"/voting/polls/{poll.pk}/").content
    response = client.post(f"/voting/polls/{poll.pk}/ballot/", form_for(poll), HTTP_HX_REQUEST="true")
    assert b"other areas or buildings" in response.content
    assert Ballot.objects.count() == 0


def test_anonymous_cannot_vote_and_drafts_are_404(open_poll):
    response = Client().post(f"/voting/polls/{open_poll.pk}/ballot/", form_for(open_poll))
    assert response.status_code == 302 and Ballot.objects.count() == 0
    draft = make_poll(status="draft")
    assert Client().get(f"/voting/polls/{draft.pk}/").status_code == 404


def test_results_and_verify_section_after_publication(open_poll):
    for i in range(3):
        services.ballot_cast(
            poll_id=open_poll.pk, resident=ResidentFactory(), answers=answers_for(open_poll, i)
        )
    services.poll_close(poll_id=open_poll.pk)
    closed = Client().get(f"/voting/polls/{open_poll.pk}/").content.decode()
    assert 'id="results"' not in closed  # closed, not yet published
    services.poll_results_publish(poll_id=open_poll.pk)
    text = Client().get(f"/voting/polls/{open_poll.pk}/").content.decode()
    poll = Poll.objects.get(pk=open_poll.pk)
    assert 'id="results"' in text and poll.merkle_root in text
    assert "voting/verify.js" in text and "ballots.csv" in text
    # in plain words: no command to run, no raw ballot codes ("1=3;2=7")
    assert "manage.py" not in text and "voting_recompute" not in text and "recompute command" not in text
    assert not re.search(r"\b\d+=\d+(,\d+)*;", text)
    assert "voting_recompute" not in Client().get("/voting/how-your-vote-is-counted/").content.decode()


def test_decisions_page_filters_and_query_count(django_assert_max_num_queries):
    operator = ResidentFactory(roles=["operator"])
    poll = make_poll(status="published")
    district = DistrictFactory()
    for i in range(25):
        decision_record(
            title=f"Decision {i}",
            organisation="Parks",
            actor=operator,
            poll=poll,
            district=district,
            location={"type": "Point", "coordinates": [37.6, 55.75]},
        )
    with django_assert_max_num_queries(8):
        response = Client().get(f"/voting/decisions/?district={district.pk}&status=planned")
    assert response.status_code == 200
    assert response.content.decode().count('<li><strong><a href="/voting/decisions/') == 20
    assert b"voting/decisions_map.js" in response.content
    assert (
        b"Decision"
        not in Client().get("/voting/decisions/?status=done").content.split(b'id="decision-list"')[1]
    )


def test_console_actions_by_operator_and_refused_to_others(open_poll):
    operator = ResidentFactory(roles=["operator"], is_staff=True)
    moderator = ResidentFactory(roles=["moderator"], is_staff=True)
    resident = ResidentFactory()
    assert signed_in(resident).get("/console/voting/poll/").status_code == 302
    assert signed_in(moderator).get("/console/voting/poll/").status_code == 403
    assert signed_in(moderator).get("/console/voting/otheranswer/").status_code == 200
    client = signed_in(operator)
    page = client.get(f"/console/voting/poll/{open_poll.pk}/change/")
    assert page.status_code == 200 and b"Reaches (residents)" in page.content
    # Closing and publishing are pages with a confirmation (test_poll_irreversible.py), not actions.
    client.post("/console/voting/poll/", {"action": "close_now", "_selected_action": [open_poll.pk]})
    open_poll.refresh_from_db()
    assert open_poll.status == "open"
    response = client.post(
        f"/voting/staff/polls/{open_poll.pk}/close/", {"reason": "Enough votes", "confirm": "on"}
    )
    assert response.status_code == 302
    open_poll.refresh_from_db()
    assert open_poll.status == "closed" and open_poll.merkle_root
    client.post(f"/voting/staff/polls/{open_poll.pk}/publish/", {"confirm": "on"})
    open_poll.refresh_from_db()
    assert open_poll.status == "published"
    assert client.get("/console/voting/ballot/").status_code == 404  # ballots are not in the console
    decision = decision_record(title="Lights", organisation="Roads", actor=operator, poll=open_poll)
    client.post("/console/voting/decision/", {"action": "cancel", "_selected_action": [decision.pk]})
    assert Decision.objects.get(pk=decision.pk).status == "planned"  # no reason: refused
    client.post("/console/voting/decision/", {"action": "finish", "_selected_action": [decision.pk]})
    assert Decision.objects.get(pk=decision.pk).status == "done"


def test_decision_page_shows_its_place_on_a_map():
    operator = ResidentFactory(roles=["operator"])
    poll = make_poll(status="published")
    decision = decision_record(
        title="New playground",
        organisation="Parks",
        actor=operator,
        poll=poll,
        location={"type": "Point", "coordinates": [37.6, 55.75]},
    )
    response = Client().get(f"/voting/decisions/{decision.pk}/")
    page = response.content.decode()
    assert response.status_code == 200 and "New playground" in page
    assert "data-place-map" in page and "&quot;coordinates&quot;: [37.6, 55.75]" in page
    assert f'href="/voting/polls/{poll.pk}/"' in page
    assert Client().get(f"/voting/decisions/{decision.pk + 1000}/").status_code == 404

"""Signed-in residents' pages read their shared parts (polls, rewards on offer, challenges,
news) through gorod.core.cache.shared_cache and their own parts fresh: a resident sees their own
vote, points and order at once, never another resident's, and the kept parts carry no language.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from gorod.accounts import services as accounts
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing.tests.factories import LinkFactory, PremiseFactory
from gorod.points import selectors as points
from gorod.rewards import services as rewards
from gorod.rewards.tests.factories import give_points, make_partner, make_point, make_reward
from gorod.voting import services as voting
from gorod.voting.targeting import Targeting
from gorod.voting.tests.conftest import answers_for, make_poll

pytestmark = pytest.mark.django_db

PAGES = ["/", "/voting/", "/rewards/", "/api/v1/polls", "/api/v1/rewards/catalogue"]
# Statements of a second visit, when the shared parts are kept: session and resident (or the
# token with its resident) plus the resident's own rows; the home page reads the most of them
# (balance, meetings, meters, reports, interests, home district); the catalogue API reads none.
# each signed-in page counts the resident's unread notifications for the header (one query)
MOST_QUERIES = {"/": 9, "/voting/": 4, "/rewards/": 4, "/api/v1/polls": 2, "/api/v1/rewards/catalogue": 0}


def _site(resident) -> Client:
    client = Client()
    client.force_login(resident)
    return client


def _api(resident) -> Client:
    _token, plain = accounts.api_token_issue(resident=resident, name="pages")
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")


def _visit_all(site: Client, api: Client) -> None:
    for path in PAGES:
        assert (api if path.startswith("/api/") else site).get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_second_signed_in_visit_reads_only_the_residents_own_rows(
    path, full_resident, django_assert_max_num_queries
):
    make_poll()
    make_reward(make_partner(), price=50)
    client = _api(full_resident) if path.startswith("/api/") else _site(full_resident)
    assert client.get(path).status_code == 200
    with django_assert_max_num_queries(MOST_QUERIES[path]):
        assert client.get(path).status_code == 200


def test_own_vote_is_shown_at_once_and_only_to_the_voter(full_resident):
    poll = make_poll(title="Benches or trees")
    other = ResidentFactory(level="full")
    mine, theirs = (_site(full_resident), _api(full_resident)), (_site(other), _api(other))
    _visit_all(*mine)
    _visit_all(*theirs)
    voting.ballot_cast(poll_id=poll.pk, resident=full_resident, answers=answers_for(poll))
    assert "You have voted" in mine[0].get("/voting/").content.decode()
    assert [p["has_voted"] for p in mine[1].get("/api/v1/polls").json()["polls"]] == [True]
    assert "You have voted" not in theirs[0].get("/voting/").content.decode()
    assert [p["has_voted"] for p in theirs[1].get("/api/v1/polls").json()["polls"]] == [False]


def test_own_points_and_order_are_shown_at_once_and_only_to_the_resident(full_resident):
    other = ResidentFactory(level="full")
    give_points(full_resident, 500)
    give_points(other, 70)
    partner = make_partner()
    reward = make_reward(partner, price=120, points=[(make_point(partner), 5)])
    site, theirs = _site(full_resident), _site(other)
    assert site.get("/").context["balance"].available == 500
    assert site.get("/rewards/").context["balance"].available == 500
    assert theirs.get("/rewards/").context["balance"].available == 70
    rewards.order_place(resident=full_resident, reward_id=reward.pk)
    home, shop = site.get("/"), site.get("/rewards/")
    assert home.context["balance"].available == shop.context["balance"].available == 380
    assert home.context["balance"].held == 120 == points.balance(full_resident).held
    assert theirs.get("/").context["balance"].available == 70
    assert theirs.get("/rewards/").context["balance"].available == 70


def test_poll_opened_or_closed_is_listed_at_once(full_resident):
    site = _site(full_resident)
    assert "Benches or trees" not in site.get("/voting/").content.decode()
    poll = make_poll(title="Benches or trees")
    page = site.get("/voting/")
    assert [p.pk for p in page.context["page"].polls] == [poll.pk] and not page.context["finished"]
    voting.poll_close(poll_id=poll.pk)
    page = site.get("/voting/")
    assert not page.context["page"].polls and [p.pk for p in page.context["finished"]] == [poll.pk]


def test_building_targeted_poll_reaches_only_its_residents(full_resident):
    premise = PremiseFactory()
    LinkFactory(resident=full_resident, premise=premise)
    site, other = _site(full_resident), _site(ResidentFactory(level="full"))
    assert not site.get("/voting/").context["page"].polls
    poll = make_poll(targeting=Targeting.of(building_ids=[premise.building_id]))
    assert [p.pk for p in site.get("/voting/").context["page"].polls] == [poll.pk]
    assert not other.get("/voting/").context["page"].polls


def test_kept_parts_carry_no_language(full_resident):
    poll = make_poll(status="published")
    with translation.override("ru"):
        label_ru = str(poll.get_status_display())
    with translation.override("en"):
        label_en = str(poll.get_status_display())
        # the requests activate their language; the override puts back the test's own after
        site = _site(full_resident)
        english = site.get("/voting/", headers={"accept-language": "en"})
        russian = site.get("/voting/", headers={"accept-language": "ru"})
        again = site.get("/voting/", headers={"accept-language": "en"})
        shop_en = site.get("/rewards/", headers={"accept-language": "en"})
        shop_ru = site.get("/rewards/", headers={"accept-language": "ru"})
    assert label_ru != label_en
    assert russian.headers["Content-Language"] == "ru" and label_ru in russian.content.decode()
    assert label_en not in russian.content.decode()
    assert label_en in english.content.decode() and label_en in again.content.decode()
    assert shop_ru.headers["Content-Language"] == "ru" and shop_en.content != shop_ru.content

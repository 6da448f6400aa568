from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from gorod.accounts.services import role_permissions_sync
from gorod.accounts.tests.factories import ResidentFactory
from gorod.core.time import city_today
from gorod.points import selectors as points_selectors
from gorod.rewards import pickup, services, services_catalogue
from gorod.rewards.models import Category, Donation, Order, OrderStatus, PromoCode, RewardKind
from gorod.rewards.tests.factories import give_points, make_fund, make_partner, make_point, make_reward

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(partner, point):
    cafe = Category.objects.create(name="Cafés", slug="cafes")
    rewards = [
        make_reward(partner, price=100 * n, stock=5, points=[(point, 0)], category=cafe) for n in range(1, 31)
    ]
    return rewards


def test_catalogue_lists_filters_and_paginates_in_few_queries(
    client, resident, shop, django_assert_max_num_queries
):
    give_points(resident, 450)
    client.force_login(resident)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("rewards:catalogue"))
    assert page.status_code == 200
    assert page.content.count(b'class="card"') == 24
    affordable = client.get(reverse("rewards:catalogue"), {"affordable": "on", "category": "cafes"})
    assert affordable.content.count(b'class="card"') == 4
    search = client.get(reverse("rewards:catalogue"), {"q": shop[0].title, "price_max": 150})
    assert search.content.count(b'class="card"') == 1
    partial = client.get(reverse("rewards:catalogue"), {"page": 2}, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and partial.content.count(b'class="card"') == 6


def test_catalogue_results_are_kept_for_everyone_but_affordable_ones_are_each_residents(
    client, resident, shop, django_assert_max_num_queries
):
    """The cards are rendered once for every resident ({% shared %}); the list filtered by a
    resident's balance is theirs alone, and each sees their own balance above the list."""
    from gorod.accounts.tests.factories import ResidentFactory

    richer = ResidentFactory(level="standard")
    give_points(resident, 450)
    give_points(richer, 950)
    client.force_login(resident)
    first = client.get(reverse("rewards:catalogue"))
    other = Client()
    other.force_login(richer)
    with django_assert_max_num_queries(4):  # session, resident, balance, nothing for the cards
        second = other.get(reverse("rewards:catalogue"))
    cards = [page.content.split(b'<div id="results">')[1] for page in (first, second)]
    assert cards[0] == cards[1] and cards[1].count(b'class="card"') == 24
    assert b">450<" in first.content and b">950<" in second.content
    query = {"affordable": "on", "category": "cafes"}
    assert client.get(reverse("rewards:catalogue"), query).content.count(b'class="card"') == 4
    assert other.get(reverse("rewards:catalogue"), query).content.count(b'class="card"') == 9


BAD_QUERIES = [
    ({"page": "abc"}, None),
    ({"page": "99999"}, None),
    ({"page": "-1"}, None),
    ({"price_min": "-5"}, "greater than or equal to 0"),
    ({"price_max": "10000000000000"}, "less than or equal to"),
    ({"price_min": "lots"}, "Enter a whole number"),
    ({"kind": "spaceship"}, "Select a valid choice"),
    ({"district": "999999"}, "Select a valid choice"),
    ({"category": "<script>"}, "Select a valid choice"),
    ({"q": "x" * 500}, "at most 100 characters"),
]


@pytest.mark.parametrize(("query", "message"), BAD_QUERIES)
def test_bad_catalogue_queries_answer_a_page_with_the_error_fresh_and_kept(
    client, resident, shop, query, message
):
    """A hand-edited address is a page (all rewards, the field's error shown), never a 500, and
    the kept copy another resident gets for the same query is the same page."""
    client.force_login(resident)
    other = Client()
    other.force_login(ResidentFactory(level="standard"))
    pages = [c.get(reverse("rewards:catalogue"), query) for c in (client, other)]
    for page in pages:
        assert page.status_code == 200
        assert page.content.count(b'class="card"') in (24, 6)  # a page of all 30 rewards
        if message:
            assert message in page.content.decode()
        assert b"<script>" not in page.content  # what was typed is shown escaped, if at all
    results = [page.content.split(b'<div id="results">')[1] for page in pages]
    assert results[0] == results[1]


def test_order_page_flow_with_qr_and_cancel(client, resident, item, point):
    give_points(resident, 1000)
    client.force_login(resident)
    response = client.post(reverse("rewards:reward", args=[item.pk]), {"pickup_point": point.pk})
    order = Order.objects.get(resident=resident)
    assert response.status_code == 302 and response["Location"] == reverse("rewards:order", args=[order.pk])
    page = client.get(response["Location"])
    assert b"<svg" in page.content and pickup.sign(order.code).encode() in page.content
    client.post(reverse("rewards:order_cancel", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_order_refusal_is_shown_next_to_the_form(client, resident, item):
    give_points(resident, 10)
    client.force_login(resident)
    response = client.post(reverse("rewards:reward", args=[item.pk]), {})
    assert response.status_code == 409
    assert "Not enough points" in response.content.decode()
    assert not Order.objects.exists()


def test_anonymous_order_goes_to_sign_in(client, item):
    response = client.post(reverse("rewards:reward", args=[item.pk]), {})
    assert response.status_code == 302 and "sign" in response["Location"]
    assert not Order.objects.exists()


def test_someone_elses_order_is_not_found(client, resident, item):
    give_points(resident, 1000)
    order = services.order_place(resident=resident, reward_id=item.pk)
    client.force_login(ResidentFactory())
    assert client.get(reverse("rewards:order", args=[order.pk])).status_code == 404
    client.post(reverse("rewards:order_cancel", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == OrderStatus.RESERVED


def test_desk_finds_and_hands_over(client, resident, item, staff, point):
    give_points(resident, 1000)
    order = services.order_place(resident=resident, reward_id=item.pk)
    code = pickup.sign(order.code)
    client.force_login(staff)
    found = client.post(reverse("rewards:desk"), {"action": "lookup", "code": code})
    assert found.status_code == 200 and item.title.encode() in found.content and b"Hand over" in found.content
    done = client.post(
        reverse("rewards:desk"), {"action": "hand_over", "code": code, "pickup_point": point.pk}
    )
    assert done.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.HANDED_OVER
    again = client.post(
        reverse("rewards:desk"), {"action": "hand_over", "code": code, "pickup_point": point.pk}
    )
    assert again.status_code == 409 and b"already handed over" in again.content


def test_desk_refuses_forged_and_other_partner_codes(client, resident, item, staff):
    give_points(resident, 1000)
    order = services.order_place(resident=resident, reward_id=item.pk)
    client.force_login(staff)
    forged = client.post(reverse("rewards:desk"), {"action": "lookup", "code": order.code + ":AAAAAAAAAAAA"})
    assert forged.status_code == 422 and b"not valid" in forged.content
    other = ResidentFactory()
    services_catalogue.partner_staff_assign(partner=make_partner(), resident=other)
    client.force_login(other)
    foreign = client.post(reverse("rewards:desk"), {"action": "hand_over", "code": pickup.sign(order.code)})
    assert foreign.status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.RESERVED


def test_desk_finds_by_order_number_and_hands_over_with_the_check(client, resident, item, staff, point):
    give_points(resident, 1000)
    order = services.order_place(resident=resident, reward_id=item.pk)
    client.force_login(resident)
    page = client.get(reverse("rewards:order", args=[order.pk]))
    check = pickup.check(order.code)
    assert check.encode() in page.content
    client.force_login(staff)
    found = client.post(reverse("rewards:desk"), {"action": "lookup", "code": order.code.lower()})
    assert found.status_code == 200 and item.title.encode() in found.content
    assert b'name="check"' in found.content
    unchecked = client.post(
        reverse("rewards:desk"), {"action": "hand_over", "code": order.code, "pickup_point": point.pk}
    )
    assert unchecked.status_code == 422
    order.refresh_from_db()
    assert order.status == OrderStatus.RESERVED
    done = client.post(
        reverse("rewards:desk"),
        {"action": "hand_over", "code": order.code, "check": check, "pickup_point": point.pk},
    )
    assert done.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.HANDED_OVER


def test_desk_refuses_another_partners_order_number(client, resident, item):
    give_points(resident, 1000)
    order = services.order_place(resident=resident, reward_id=item.pk)
    other = ResidentFactory()
    services_catalogue.partner_staff_assign(partner=make_partner(), resident=other)
    client.force_login(other)
    lookup = client.post(reverse("rewards:desk"), {"action": "lookup", "code": order.code})
    assert lookup.status_code == 403 and item.title.encode() not in lookup.content
    hand_over = client.post(
        reverse("rewards:desk"),
        {"action": "hand_over", "code": order.code, "check": pickup.check(order.code)},
    )
    assert hand_over.status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.RESERVED


@pytest.mark.parametrize("name", ["desk", "partner_orders", "settlement_csv"])
def test_partner_pages_refuse_residents(client, resident, name):
    client.force_login(resident)
    assert client.get(reverse(f"rewards:{name}")).status_code == 403


def test_partner_orders_and_settlement_csv(client, partner, point, staff, django_assert_max_num_queries):
    reward = make_reward(partner, price=200, stock=50, points=[(point, 0)], title="=cmd")
    residents = [ResidentFactory() for _ in range(6)]
    for resident in residents:
        give_points(resident, 1000)
        order = services.order_place(resident=resident, reward_id=reward.pk)
        services.order_hand_over(staff=staff, signed_code=pickup.sign(order.code))
    # an order of another partner never shows
    other_partner = make_partner()
    give_points(residents[0], 500)
    services.order_place(resident=residents[0], reward_id=make_reward(other_partner).pk)
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("rewards:partner_orders"))
    assert page.content.count(b"=cmd") == 6
    today = city_today().isoformat()  # settlement periods are city dates
    response = client.get(reverse("rewards:settlement_csv"), {"start": "2020-01-01", "end": "2099-12-31"})
    assert response.status_code == 422
    response = client.get(reverse("rewards:settlement_csv"), {"start": today, "end": today})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "order" and len(rows) == 8
    assert rows[1][2] == "'=cmd"
    assert rows[-1] == ["total", "", "", "", "", "1200"]


def test_charity_pages_totals_donation_and_receipt(client, resident):
    fund = make_fund(min_donation=500)
    give_points(resident, 2000)
    assert b"0 points from 0 donations" in client.get(reverse("rewards:funds")).content
    client.force_login(resident)
    refused = client.post(reverse("rewards:fund", args=[fund.pk]), {"amount": 100})
    assert refused.status_code == 409 and not Donation.objects.exists()  # the fund's bounds
    response = client.post(reverse("rewards:fund", args=[fund.pk]), {"amount": 600})
    donation = Donation.objects.get()
    assert response["Location"] == reverse("rewards:receipt", args=[donation.receipt_number])
    receipt = client.get(response["Location"])
    assert donation.receipt_number.encode() in receipt.content
    assert points_selectors.balance(resident).available == 1400
    assert b"600 points from 1 donation" in client.get(reverse("rewards:funds")).content
    client.force_login(ResidentFactory())
    assert client.get(reverse("rewards:receipt", args=[donation.receipt_number])).status_code == 404


def test_my_orders_show_promo_code_and_query_count(client, resident, partner, django_assert_max_num_queries):
    promo = make_reward(partner, kind=RewardKind.PROMO_CODE, stock=None, price=50)
    services_catalogue.promo_codes_upload(reward=promo, raw="\n".join(f"P{n}" for n in range(10)))
    give_points(resident, 1000)
    orders = [services.order_place(resident=resident, reward_id=promo.pk) for _ in range(5)]
    client.force_login(resident)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("rewards:my_orders")).status_code == 200
    page = client.get(reverse("rewards:order", args=[orders[0].pk]))
    assert PromoCode.objects.get(order=orders[0]).code.encode() in page.content


def test_map_and_geojson(client, point):
    data = client.get(reverse("rewards:points_geojson")).json()
    assert data["features"][0]["properties"]["name"] == point.name
    assert point.name.encode() in client.get(reverse("rewards:map")).content


def test_reward_page_for_every_kind(client, partner, point):
    for kind in RewardKind.values:
        reward = make_reward(partner, kind=kind, points=[(point, 3)] if kind == "item" else None)
        assert client.get(reverse("rewards:reward", args=[reward.pk])).status_code == 200
    hidden = make_reward(partner, is_published=False)
    assert client.get(reverse("rewards:reward", args=[hidden.pk])).status_code == 404
    assert (
        client.get(
            reverse("rewards:catalogue"), {"district": make_point(partner).pk, "kind": "item"}
        ).status_code
        == 200
    )


def test_the_consoles_list_of_partner_staff_is_plural_in_russian(client):
    # the role's name and the list's title were one msgid, "partner staff", translated twice: the
    # role's singular won and the operator's console listed "Сотрудник партнёра"
    role_permissions_sync()
    client.force_login(ResidentFactory(roles=["operator"], is_staff=True))
    page = client.get("/console/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Сотрудники партнёров" in page and "Сотрудник партнёра" not in page

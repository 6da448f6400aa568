from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import selectors as points_selectors
from gorod.points.checks import ledger_mismatches
from gorod.points.errors import InsufficientPoints
from gorod.points.models import Hold, HoldStatus, LedgerAccount
from gorod.rewards import pickup, services
from gorod.rewards.errors import (
    AccountLevelTooLow,
    OrderLimitReached,
    OutOfStock,
    PickupPointNotForReward,
    PickupPointRequired,
    RewardNotFound,
    RewardOutsideWindow,
)
from gorod.rewards.models import (
    LimitUsage,
    Order,
    OrderStatus,
    PromoCode,
    Reward,
    RewardKind,
    RewardPickupPoint,
)
from gorod.rewards.services_catalogue import promo_codes_upload
from gorod.rewards.tests.factories import give_points, make_partner, make_point, make_reward

pytestmark = pytest.mark.django_db


def assert_nothing_taken(resident, reward: Reward, stock_before: int | None) -> None:
    assert Order.objects.filter(resident=resident).count() == 0
    assert Hold.objects.filter(account__resident=resident).count() == 0
    assert points_selectors.balance(resident).held == 0
    reward.refresh_from_db()
    assert reward.stock == stock_before
    assert not LimitUsage.objects.filter(resident=resident, used__gt=0).exists()


def assert_ledger_clean() -> None:
    mismatches, total = ledger_mismatches()
    assert mismatches == []
    assert total == 0


def test_ordering_an_item_holds_points_and_reserves_stock(resident, item, point):
    give_points(resident, 1000)
    order = services.order_place(resident=resident, reward_id=item.pk, pickup_point_id=point.pk)
    assert order.status == OrderStatus.RESERVED
    assert order.pickup_until - order.created_at == dt.timedelta(days=14)
    balance = points_selectors.balance(resident)
    assert (balance.balance, balance.held, balance.available) == (1000, 300, 700)
    item.refresh_from_db()
    assert item.stock == 4
    assert Hold.objects.get(pk=order.hold_id).expires_at == order.pickup_until
    assert_ledger_clean()


def test_not_enough_points_holds_and_reserves_nothing(resident, item):
    give_points(resident, 299)
    with pytest.raises(InsufficientPoints):
        services.order_place(resident=resident, reward_id=item.pk)
    assert_nothing_taken(resident, item, 5)


def test_out_of_stock_is_refused_and_nothing_is_held(resident, partner):
    reward = make_reward(partner, stock=0)
    give_points(resident, 1000)
    with pytest.raises(OutOfStock) as caught:
        services.order_place(resident=resident, reward_id=reward.pk)
    assert caught.value.code == "out_of_stock"
    assert_nothing_taken(resident, reward, 0)
    assert points_selectors.balance(resident).available == 1000


def test_per_resident_limit_per_period(resident, partner):
    reward = make_reward(partner, stock=10, limit_per_resident=2, limit_period="month")
    give_points(resident, 1000)
    services.order_place(resident=resident, reward_id=reward.pk)
    services.order_place(resident=resident, reward_id=reward.pk)
    with pytest.raises(OrderLimitReached):
        services.order_place(resident=resident, reward_id=reward.pk)
    reward.refresh_from_db()
    assert reward.stock == 8
    assert Order.objects.filter(resident=resident).count() == 2
    assert points_selectors.balance(resident).held == 200
    # another resident has their own allowance
    other = ResidentFactory(level="standard")
    give_points(other, 500)
    services.order_place(resident=other, reward_id=reward.pk)


def test_cancel_gives_the_limit_back(resident, partner):
    reward = make_reward(partner, stock=10, limit_per_resident=1)
    give_points(resident, 1000)
    order = services.order_place(resident=resident, reward_id=reward.pk)
    services.order_cancel(resident=resident, order_id=order.pk)
    services.order_place(resident=resident, reward_id=reward.pk)
    assert LimitUsage.objects.get(resident=resident).used == 1


def test_account_level_too_low(partner):
    simplified = ResidentFactory(level="simplified")
    reward = make_reward(partner, min_level="full")
    give_points(simplified, 1000)
    with pytest.raises(AccountLevelTooLow):
        services.order_place(resident=simplified, reward_id=reward.pk)
    assert_nothing_taken(simplified, reward, 10)


@pytest.mark.parametrize("window", ["before", "after"])
def test_outside_window(resident, partner, window):
    now = timezone.now()
    if window == "before":
        reward = make_reward(partner, available_from=now + dt.timedelta(days=1))
    else:
        reward = make_reward(partner, available_until=now - dt.timedelta(seconds=1))
    give_points(resident, 1000)
    with pytest.raises(RewardOutsideWindow):
        services.order_place(resident=resident, reward_id=reward.pk)
    assert_nothing_taken(resident, reward, 10)


def test_unpublished_or_inactive_partner_is_not_on_offer(resident, partner):
    reward = make_reward(partner, is_published=False)
    give_points(resident, 1000)
    with pytest.raises(RewardNotFound):
        services.order_place(resident=resident, reward_id=reward.pk)
    with pytest.raises(RewardNotFound):
        services.order_place(resident=resident, reward_id=999_999)
    assert_nothing_taken(resident, reward, 10)


def test_stock_per_pickup_point(resident, partner):
    a, b = make_point(partner), make_point(partner)
    reward = make_reward(partner, stock=None, stock_scope="pickup_point", points=[(a, 1), (b, 0)])
    give_points(resident, 1000)
    with pytest.raises(PickupPointRequired):
        services.order_place(resident=resident, reward_id=reward.pk)
    with pytest.raises(OutOfStock):
        services.order_place(resident=resident, reward_id=reward.pk, pickup_point_id=b.pk)
    other_partner_point = make_point(make_partner())
    with pytest.raises(PickupPointNotForReward):
        services.order_place(resident=resident, reward_id=reward.pk, pickup_point_id=other_partner_point.pk)
    assert points_selectors.balance(resident).held == 0
    order = services.order_place(resident=resident, reward_id=reward.pk, pickup_point_id=a.pk)
    assert RewardPickupPoint.objects.get(reward=reward, pickup_point=a).stock == 0
    services.order_cancel(resident=resident, order_id=order.pk)
    assert RewardPickupPoint.objects.get(reward=reward, pickup_point=a).stock == 1


def test_promo_code_is_issued_at_once_and_given_once(resident, partner):
    reward = make_reward(partner, kind=RewardKind.PROMO_CODE, stock=None, price=150)
    assert promo_codes_upload(reward=reward, raw="code\nCAFE-1\nCAFE-2\nCAFE-1\n") == 2
    assert promo_codes_upload(reward=reward, raw=b"CAFE-2\n") == 0
    reward.refresh_from_db()
    assert reward.stock == 2
    other = ResidentFactory(level="standard")
    give_points(resident, 1000)
    give_points(other, 1000)
    first = services.order_place(resident=resident, reward_id=reward.pk)
    second = services.order_place(resident=other, reward_id=reward.pk)
    assert first.status == OrderStatus.ISSUED
    codes = {PromoCode.objects.get(order=first).code, PromoCode.objects.get(order=second).code}
    assert codes == {"CAFE-1", "CAFE-2"}
    # the hold was posted to the partner at once
    balance = points_selectors.balance(resident)
    assert (balance.balance, balance.held) == (850, 0)
    assert LedgerAccount.objects.get(pk=partner.ledger_account_id).balance == 300
    with pytest.raises(OutOfStock):
        services.order_place(resident=resident, reward_id=reward.pk)
    assert points_selectors.balance(resident).available == 850
    assert_ledger_clean()


def test_ticket_and_charity_rewards_are_issued_at_once(resident, partner):
    ticket = make_reward(partner, kind=RewardKind.TICKET, stock=2, price=400, event_venue="Bolshoi")
    charity = make_reward(partner, kind=RewardKind.CHARITY, stock=None, price=500)
    give_points(resident, 1000)
    order = services.order_place(resident=resident, reward_id=ticket.pk)
    assert order.status == OrderStatus.ISSUED and order.ticket_number.startswith("T-")
    gift = services.order_place(resident=resident, reward_id=charity.pk)
    assert gift.donation.amount == 500
    assert LedgerAccount.objects.get(pk=charity.fund.ledger_account_id).balance == 500
    assert points_selectors.balance(resident).balance == 100
    assert_ledger_clean()


def test_pickup_code_signature():
    signed = pickup.sign("ABCDEFGHJK")
    assert pickup.unsign(signed) == "ABCDEFGHJK"
    assert pickup.unsign(f"  {signed} ") == "ABCDEFGHJK"
    assert "<svg" in pickup.qr_svg(signed)


def test_cancel_returns_points_and_stock(resident, item):
    give_points(resident, 1000)
    order = services.order_place(resident=resident, reward_id=item.pk)
    services.order_cancel(resident=resident, order_id=order.pk)
    order.refresh_from_db()
    item.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert item.stock == 5
    assert points_selectors.balance(resident).held == 0
    assert Hold.objects.get(pk=order.hold_id).status == HoldStatus.VOIDED
    assert_ledger_clean()


def test_expiry_job_releases_points_stock_and_limits(resident, partner):
    reward = make_reward(partner, stock=3, limit_per_resident=5)
    give_points(resident, 1000)
    old = services.order_place(resident=resident, reward_id=reward.pk)
    fresh = services.order_place(resident=resident, reward_id=reward.pk)
    Order.objects.filter(pk=old.pk).update(pickup_until=timezone.now() - dt.timedelta(minutes=1))
    Hold.objects.filter(pk=old.hold_id).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert services.orders_expire() == 1
    assert services.orders_expire() == 0
    old.refresh_from_db()
    fresh.refresh_from_db()
    reward.refresh_from_db()
    assert (old.status, fresh.status) == (OrderStatus.EXPIRED, OrderStatus.RESERVED)
    assert reward.stock == 2
    assert Hold.objects.get(pk=old.hold_id).status == HoldStatus.EXPIRED
    assert points_selectors.balance(resident).held == 100
    assert LimitUsage.objects.get(resident=resident).used == 1
    assert_ledger_clean()


def test_expiry_voids_a_hold_that_outlives_its_order(resident, item):
    give_points(resident, 1000)
    order = services.order_place(resident=resident, reward_id=item.pk)
    Order.objects.filter(pk=order.pk).update(pickup_until=timezone.now() - dt.timedelta(minutes=1))
    assert services.orders_expire() == 1
    assert Hold.objects.get(pk=order.hold_id).status == HoldStatus.EXPIRED
    assert points_selectors.balance(resident).held == 0
    assert_ledger_clean()

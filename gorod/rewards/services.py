"""Orders: place (hold + reserve in one transaction), hand over, cancel, expire.

Lock order, kept by every function here so two of them never wait on each other in a cycle:
order row → resident wallet (points hold/void) → per-resident limit row → partner or fund
account (posting) → stock row → promo code. The stock row is the hot one for a popular
reward, so ordering takes it last and holds its lock only until the commit.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts.models import Resident
from gorod.core.messages import Message
from gorod.core.time import city_today
from gorod.notifications import services as notifications
from gorod.points import services_spend as points_services
from gorod.points.models import Hold, HoldStatus, LedgerAccount, Programme
from gorod.rewards import pickup, rules, selectors
from gorod.rewards.errors import (
    AccountLevelTooLow,
    OrderAlreadyHandedOver,
    OrderCancelled,
    OrderExpired,
    OrderLimitReached,
    OrderNotCancellable,
    OrderNotFound,
    OutOfStock,
    PickupCheckInvalid,
    PickupCodeOtherPartner,
    PickupPointNotForReward,
    PickupPointRequired,
    RewardMisconfigured,
    RewardNotFound,
    RewardOutsideWindow,
)
from gorod.rewards.models import (
    Donation,
    LimitUsage,
    Order,
    OrderStatus,
    PickupPoint,
    PromoCode,
    Reward,
    RewardKind,
    RewardPickupPoint,
    StockScope,
    StockSource,
)

SHOP_PROGRAMME = "million_prizes"
CHARITY_PROGRAMME = "charity"
INSTANT_KINDS = {RewardKind.PROMO_CODE, RewardKind.TICKET, RewardKind.CHARITY}


def _programme(code: str) -> Programme | None:
    return Programme.objects.filter(code=code).first()


def _check_orderable(reward: Reward, resident: Resident, now: dt.datetime) -> None:
    if not reward.is_published or not reward.partner.is_active:
        raise RewardNotFound(field="reward")
    if not rules.in_window(
        available_from=reward.available_from, available_until=reward.available_until, now=now
    ):
        raise RewardOutsideWindow(field="reward")
    if not rules.level_allows(resident_level=resident.level, min_level=reward.min_level):
        raise AccountLevelTooLow(field="reward", required=reward.min_level)


def _take_limit(reward: Reward, resident: Resident) -> LimitUsage | None:
    """Count this order against the resident's limit; a guarded UPDATE refuses the one too many."""
    if reward.limit_per_resident is None:
        return None
    period = rules.limit_period_key(reward.limit_period, city_day=city_today())
    usage = LimitUsage.objects.filter(reward=reward, resident=resident, period=period).first()
    if usage is None:
        try:
            with transaction.atomic():
                usage = LimitUsage.objects.create(reward=reward, resident=resident, period=period)
        except IntegrityError:
            usage = LimitUsage.objects.get(reward=reward, resident=resident, period=period)
    taken = LimitUsage.objects.filter(pk=usage.pk, used__lt=reward.limit_per_resident).update(
        used=F("used") + 1
    )
    if not taken:
        raise OrderLimitReached(
            field="reward", limit=reward.limit_per_resident, period=reward.get_limit_period_display()
        )
    return usage


def _placement_for(reward: Reward, pickup_point_id: int | None) -> RewardPickupPoint | None:
    if reward.kind != RewardKind.ITEM:
        return None
    if pickup_point_id is None:
        if reward.stock_scope == StockScope.PICKUP_POINT:
            raise PickupPointRequired(field="pickup_point")
        return None
    placement = (
        RewardPickupPoint.objects.select_related("pickup_point")
        .filter(reward=reward, pickup_point_id=pickup_point_id, pickup_point__is_active=True)
        .first()
    )
    if placement is None:
        raise PickupPointNotForReward(field="pickup_point")
    return placement


def _stock_source(reward: Reward) -> str:
    """Which stock an order of this reward draws on (promo codes always count their pool)."""
    if reward.kind == RewardKind.ITEM and reward.stock_scope == StockScope.PICKUP_POINT:
        return StockSource.PICKUP_POINT
    if reward.stock is None and reward.kind != RewardKind.PROMO_CODE:
        return StockSource.NONE
    return StockSource.REWARD


def _take_stock(reward: Reward, placement: RewardPickupPoint | None, source: str) -> None:
    """Reserve one unit with a guarded UPDATE; never below zero under any concurrency."""
    if source == StockSource.PICKUP_POINT:
        assert placement is not None
        if not RewardPickupPoint.objects.filter(pk=placement.pk, stock__gte=1).update(stock=F("stock") - 1):
            raise OutOfStock(field="pickup_point")
    elif source == StockSource.REWARD and not Reward.objects.filter(pk=reward.pk, stock__gte=1).update(
        stock=F("stock") - 1
    ):
        raise OutOfStock(field="reward")


def _give_promo_code(order: Order) -> None:
    """Hand one free code of the pool to this order, exactly once (unique order per code)."""
    for _attempt in range(5):
        candidate = (
            PromoCode.objects.select_for_update(skip_locked=True)
            .filter(reward_id=order.reward_id, order__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if candidate is None:
            break
        if PromoCode.objects.filter(pk=candidate, order__isnull=True).update(order=order):
            return
    # Stock counted a code that is not there: refuse rather than issue nothing.
    raise OutOfStock(field="reward")


def _recipient_account(reward: Reward) -> LedgerAccount:
    account_id = reward.fund.ledger_account_id if reward.kind == RewardKind.CHARITY and reward.fund else None
    if reward.kind != RewardKind.CHARITY:
        account_id = reward.partner.ledger_account_id
    if account_id is None:
        raise RewardMisconfigured(reason="no ledger account")
    return LedgerAccount.objects.get(pk=account_id)


@transaction.atomic(durable=True)
def order_place(*, resident: Resident, reward_id: int, pickup_point_id: int | None = None) -> Order:
    """Order a reward: hold the points and reserve the stock in one transaction.

    Promo codes, tickets and charity are issued at once (the hold is posted to the partner or
    the fund); items wait for pickup until ``pickup_until``. Any refusal leaves nothing held.
    """
    reward = Reward.objects.select_related("partner", "fund").filter(pk=reward_id).first()
    if reward is None:
        raise RewardNotFound(field="reward")
    now = timezone.now()
    _check_orderable(reward, resident, now)
    placement = _placement_for(reward, pickup_point_id)
    code = rules.new_code()
    deadline = rules.pickup_deadline(ordered_at=now, pickup_days=reward.pickup_days)
    held = points_services.hold(
        resident=resident,
        amount=reward.price,
        reason="order",
        source_key=f"rewards:order:{code}",
        expires_at=deadline,
        programme=_programme(CHARITY_PROGRAMME if reward.kind == RewardKind.CHARITY else SHOP_PROGRAMME),
    )
    usage = _take_limit(reward, resident)
    stock_source = _stock_source(reward)
    instant = reward.kind in INSTANT_KINDS
    order = Order.objects.create(
        code=code,
        reward=reward,
        partner_id=reward.partner_id,
        resident=resident,
        pickup_point_id=placement.pickup_point_id if placement else None,
        placement=placement if stock_source == StockSource.PICKUP_POINT else None,
        stock_source=stock_source,
        limit_usage=usage,
        price=reward.price,
        status=OrderStatus.ISSUED if instant else OrderStatus.RESERVED,
        hold=held,
        ticket_number=f"T-{rules.new_code(12)}" if reward.kind == RewardKind.TICKET else "",
        created_at=now,
        pickup_until=None if instant else deadline,
        completed_at=now if instant else None,
    )
    if instant:
        transfer = points_services.post_hold(
            hold_id=held.pk, to_account=_recipient_account(reward), actor=resident, memo=reward.title
        )
        Order.objects.filter(pk=order.pk).update(transfer=transfer)
        order.transfer = transfer
        if reward.kind == RewardKind.CHARITY:
            assert reward.fund is not None
            Donation.objects.create(
                receipt_number=f"D-{rules.new_code(12)}",
                fund=reward.fund,
                resident=resident,
                amount=reward.price,
                transfer=transfer,
                order=order,
                created_at=now,
            )
    else:
        notifications.notify(
            resident_ids=[resident.pk],
            kind="order_ready",
            event_key=f"rewards:order:{order.code}:ready",
            title=Message(gettext_noop("Your order is waiting for pickup: %(reward)s"), reward=reward.title),
            body=Message(gettext_noop("Show the QR code of the order at the pickup point.")),
            url=reverse("rewards:order", args=[order.pk]),
        )
    # The stock row is the hot one for a popular reward: take it last, so its lock is held only
    # from this UPDATE to the commit. A refusal here rolls back everything above.
    _take_stock(reward, placement, stock_source)
    if reward.kind == RewardKind.PROMO_CODE:
        _give_promo_code(order)
    return order


def _check_handable(order: Order, now: dt.datetime) -> None:
    if order.status == OrderStatus.HANDED_OVER or order.status == OrderStatus.ISSUED:
        raise OrderAlreadyHandedOver(field="code")
    if order.status == OrderStatus.CANCELLED:
        raise OrderCancelled(field="code")
    if order.status == OrderStatus.EXPIRED or (order.pickup_until is not None and order.pickup_until <= now):
        raise OrderExpired(field="code")


@transaction.atomic(durable=True)
def order_hand_over(
    *,
    staff: Resident,
    signed_code: str = "",
    pickup_point_id: int | None = None,
    order_number: str = "",
    check: str = "",
) -> Order:
    """Partner staff hand an item over: the hold is posted to the partner's account.

    The resident proves presence with the signed code, or with the order number and its check.
    """
    if order_number:
        order = selectors.order_for_desk_by_number(staff=staff, order_number=order_number)
        if not pickup.check_matches(order.code, check):
            raise PickupCheckInvalid(field="check")
    else:
        order = selectors.order_for_desk(staff=staff, signed_code=signed_code)
    order = Order.objects.select_for_update().select_related("reward", "partner").get(pk=order.pk)
    now = timezone.now()
    _check_handable(order, now)
    point_id = pickup_point_id or order.pickup_point_id
    if (
        point_id is not None
        and not PickupPoint.objects.filter(pk=point_id, partner_id=order.partner_id).exists()
    ):
        raise PickupCodeOtherPartner(field="pickup_point")
    if order.partner.ledger_account_id is None:
        raise RewardMisconfigured(reason="no ledger account")
    transfer = points_services.post_hold(
        hold_id=order.hold_id,
        to_account=LedgerAccount.objects.get(pk=order.partner.ledger_account_id),
        actor=staff,
        memo=order.reward.title,
    )
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.HANDED_OVER,
        transfer=transfer,
        completed_at=now,
        handed_over_by=staff,
        handed_over_at_point_id=point_id,
    )
    order.refresh_from_db()
    return order


def _release(orders: list[Order]) -> None:
    """Return stock and limit allowance of orders being closed, grouped per row, in pk order."""
    usage_counts: dict[int, int] = {}
    reward_counts: dict[int, int] = {}
    placement_counts: dict[int, int] = {}
    for order in orders:
        if order.limit_usage_id is not None:
            usage_counts[order.limit_usage_id] = usage_counts.get(order.limit_usage_id, 0) + 1
        if order.stock_source == StockSource.REWARD:
            reward_counts[order.reward_id] = reward_counts.get(order.reward_id, 0) + 1
        elif order.stock_source == StockSource.PICKUP_POINT and order.placement_id is not None:
            placement_counts[order.placement_id] = placement_counts.get(order.placement_id, 0) + 1
    for usage_id, n in sorted(usage_counts.items()):
        LimitUsage.objects.filter(pk=usage_id).update(used=F("used") - n)
    for placement_id, n in sorted(placement_counts.items()):
        RewardPickupPoint.objects.filter(pk=placement_id).update(stock=F("stock") + n)
    for reward_id, n in sorted(reward_counts.items()):
        Reward.objects.filter(pk=reward_id).update(stock=F("stock") + n)


@transaction.atomic(durable=True)
def order_cancel(*, resident: Resident, order_id: int) -> Order:
    """The resident cancels an order waiting for pickup: points and stock come back."""
    order = Order.objects.select_for_update().filter(pk=order_id, resident=resident).first()
    if order is None:
        raise OrderNotFound()
    if order.status != OrderStatus.RESERVED:
        raise OrderNotCancellable()
    now = timezone.now()
    hold_status = Hold.objects.filter(pk=order.hold_id).values_list("status", flat=True).get()
    if hold_status == HoldStatus.ACTIVE:
        points_services.void_hold(hold_id=order.hold_id)
    _release([order])
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED, closed_at=now)
    order.status = OrderStatus.CANCELLED
    order.closed_at = now
    return order


def orders_expire(*, now: dt.datetime | None = None, batch_size: int = 5000) -> int:
    """Expire unclaimed orders past their pickup window, set-based, in batches; idempotent.

    The holds of these orders expire at the same instant, so the ledger's own set-based
    ``holds_expire`` releases the points first (one grouped UPDATE per wallet per batch); any hold
    still active (a deadline moved by an operator) is voided one by one. Then each batch of
    orders is closed and its stock and limits returned with one UPDATE per stock row.
    """
    now = now or timezone.now()
    points_services.holds_expire(now=now, batch_size=batch_size)
    total = 0
    while True:
        with transaction.atomic():
            batch = list(
                Order.objects.select_for_update()
                .filter(status=OrderStatus.RESERVED, pickup_until__lte=now)
                .order_by("pk")
                .only("pk", "hold_id", "limit_usage_id", "stock_source", "reward_id", "placement_id")[
                    :batch_size
                ]
            )
            if not batch:
                return total
            ids = [order.pk for order in batch]
            still_held = Hold.objects.filter(
                pk__in=[order.hold_id for order in batch], status=HoldStatus.ACTIVE
            ).values_list("pk", flat=True)
            for hold_id in sorted(still_held):
                points_services.void_hold(hold_id=hold_id, expired=True)
            _release(batch)
            Order.objects.filter(pk__in=ids).update(status=OrderStatus.EXPIRED, closed_at=now)
            total += len(ids)

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gorod.accounts.permissions import has_role
from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import selectors as points_selectors
from gorod.points.checks import ledger_mismatches
from gorod.points.errors import InsufficientPoints, NonPositiveAmount
from gorod.points.models import HoldStatus, LedgerAccount, Transfer
from gorod.rewards import pickup, selectors, services, services_catalogue, services_charity
from gorod.rewards.errors import (
    DonationAmountOutOfRange,
    FundNotAccepting,
    NotAPromoCodeReward,
    NotPartnerStaff,
    OrderAlreadyHandedOver,
    OrderCancelled,
    OrderExpired,
    OrderNotCancellable,
    OrderNotFound,
    PickupCheckInvalid,
    PickupCodeInvalid,
    PickupCodeOtherPartner,
    PromoCodesInvalid,
    StaffAlreadyAssigned,
)
from gorod.rewards.models import Donation, Order, OrderStatus, PromoCode, RewardKind
from gorod.rewards.tests.factories import give_points, make_fund, make_partner, make_reward

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(resident, item):
    give_points(resident, 1000)
    return services.order_place(resident=resident, reward_id=item.pk)


def test_staff_hand_over_posts_the_hold_to_the_partner(placed, staff, partner, point, resident):
    order = services.order_hand_over(
        staff=staff, signed_code=pickup.sign(placed.code), pickup_point_id=point.pk
    )
    assert order.status == OrderStatus.HANDED_OVER
    assert order.handed_over_by == staff and order.handed_over_at_point == point
    assert order.hold.status == HoldStatus.POSTED
    assert LedgerAccount.objects.get(pk=partner.ledger_account_id).balance == 300
    balance = points_selectors.balance(resident)
    assert (balance.balance, balance.held) == (700, 0)
    line = points_selectors.statement(resident).lines[0]
    assert line.amount == -300
    assert has_role(staff, "partner_staff")
    mismatches, total = ledger_mismatches()
    assert mismatches == [] and total == 0


def _partner_balance(partner) -> int:
    return LedgerAccount.objects.get(pk=partner.ledger_account_id).balance


def test_a_used_code_is_refused(placed, staff, partner):
    code = pickup.sign(placed.code)
    services.order_hand_over(staff=staff, signed_code=code)
    with pytest.raises(OrderAlreadyHandedOver):
        services.order_hand_over(staff=staff, signed_code=code)
    assert _partner_balance(partner) == 300
    assert Transfer.objects.filter(hold_id=placed.hold_id).count() == 1


def test_a_forged_code_is_refused(placed, staff, partner):
    signed = pickup.sign(placed.code)
    forged = signed[:-1] + ("A" if signed[-1] != "A" else "B")
    for bad in [forged, placed.code, f"{placed.code}:", "", "x" * 500, pickup.sign("NOSUCHCODE")]:
        with pytest.raises(PickupCodeInvalid):
            services.order_hand_over(staff=staff, signed_code=bad)
    placed.refresh_from_db()
    assert placed.status == OrderStatus.RESERVED and _partner_balance(partner) == 0


def test_another_partners_staff_cannot_see_or_hand_over(placed, partner):
    other_staff = ResidentFactory()
    services_catalogue.partner_staff_assign(partner=make_partner(), resident=other_staff)
    code = pickup.sign(placed.code)
    with pytest.raises(PickupCodeOtherPartner):
        selectors.order_for_desk(staff=other_staff, signed_code=code)
    with pytest.raises(PickupCodeOtherPartner):
        services.order_hand_over(staff=other_staff, signed_code=code)
    placed.refresh_from_db()
    assert placed.status == OrderStatus.RESERVED and _partner_balance(partner) == 0


def test_the_order_number_finds_the_order_and_the_check_confirms_the_hand_over(placed, staff, partner):
    spoken = " ".join([placed.code[:5].lower(), placed.code[5:]])  # as typed from a voice
    assert selectors.order_for_desk_by_number(staff=staff, order_number=spoken) == placed
    check = pickup.check(placed.code)
    assert len(check) == pickup.CHECK_DIGITS and check.isdigit()
    wrong = str((int(check) + 1) % 10**pickup.CHECK_DIGITS).zfill(pickup.CHECK_DIGITS)
    for bad in ["", wrong, placed.code, pickup.sign(placed.code)]:
        with pytest.raises(PickupCheckInvalid):  # the number alone never hands over
            services.order_hand_over(staff=staff, order_number=placed.code, check=bad)
    placed.refresh_from_db()
    assert placed.status == OrderStatus.RESERVED and _partner_balance(partner) == 0
    order = services.order_hand_over(staff=staff, order_number=spoken, check=f"{check[:4]} {check[4:]}")
    assert order.status == OrderStatus.HANDED_OVER and _partner_balance(partner) == 300


def test_another_partners_order_number_is_refused(placed, partner):
    other_staff = ResidentFactory()
    services_catalogue.partner_staff_assign(partner=make_partner(), resident=other_staff)
    with pytest.raises(PickupCodeOtherPartner):
        selectors.order_for_desk_by_number(staff=other_staff, order_number=placed.code)
    with pytest.raises(PickupCodeOtherPartner):
        services.order_hand_over(staff=other_staff, order_number=placed.code, check=pickup.check(placed.code))
    for unknown in ["", "NOSUCHCODE", "X" * 40]:
        with pytest.raises(PickupCodeInvalid):
            selectors.order_for_desk_by_number(staff=other_staff, order_number=unknown)
    placed.refresh_from_db()
    assert placed.status == OrderStatus.RESERVED and _partner_balance(partner) == 0


def test_a_pickup_point_of_another_partner_is_refused(placed, staff, partner):
    from gorod.rewards.tests.factories import make_point

    foreign = make_point(make_partner())
    with pytest.raises(PickupCodeOtherPartner):
        services.order_hand_over(
            staff=staff, signed_code=pickup.sign(placed.code), pickup_point_id=foreign.pk
        )
    assert _partner_balance(partner) == 0


def test_a_resident_who_is_not_staff_cannot_use_the_desk(placed, resident):
    with pytest.raises(NotPartnerStaff):
        services.order_hand_over(staff=resident, signed_code=pickup.sign(placed.code))


def test_cancelled_and_expired_orders_cannot_be_handed_over(placed, staff, resident, item, partner):
    services.order_cancel(resident=resident, order_id=placed.pk)
    with pytest.raises(OrderCancelled):
        services.order_hand_over(staff=staff, signed_code=pickup.sign(placed.code))
    late = services.order_place(resident=resident, reward_id=item.pk)
    Order.objects.filter(pk=late.pk).update(pickup_until=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(OrderExpired):  # even before the expiry job ran
        services.order_hand_over(staff=staff, signed_code=pickup.sign(late.code))
    services.orders_expire()
    with pytest.raises(OrderExpired):
        services.order_hand_over(staff=staff, signed_code=pickup.sign(late.code))
    assert _partner_balance(partner) == 0


def test_cancel_refusals(placed, staff, resident):
    with pytest.raises(OrderNotFound):
        services.order_cancel(resident=ResidentFactory(), order_id=placed.pk)
    services.order_hand_over(staff=staff, signed_code=pickup.sign(placed.code))
    with pytest.raises(OrderNotCancellable):
        services.order_cancel(resident=resident, order_id=placed.pk)
    assert points_selectors.balance(resident).balance == 700


def test_staff_belong_to_one_partner(staff, partner):
    assert services_catalogue.partner_staff_assign(partner=partner, resident=staff).partner == partner
    with pytest.raises(StaffAlreadyAssigned):
        services_catalogue.partner_staff_assign(partner=make_partner(), resident=staff)
    services_catalogue.partner_staff_remove(staff=staff.partner_staff)
    staff.refresh_from_db()
    staff._gorod_roles = None
    assert not has_role(staff, "partner_staff")


def test_promo_code_upload_refusals(partner, item):
    promo = make_reward(partner, kind=RewardKind.PROMO_CODE, stock=None)
    with pytest.raises(NotAPromoCodeReward):
        services_catalogue.promo_codes_upload(reward=item, raw="A\n")
    for raw in [b"\xff\xfe\x00", "code\n\n", "x" * 65 + "\n", "ok\nbad\x07code\n"]:
        with pytest.raises(PromoCodesInvalid):
            services_catalogue.promo_codes_upload(reward=promo, raw=raw)
    assert PromoCode.objects.count() == 0
    promo.refresh_from_db()
    assert promo.stock is None


def test_donation_moves_points_to_the_fund_with_a_receipt(resident):
    fund = make_fund(min_donation=500, max_donation=5000)
    give_points(resident, 1000)
    donation = services_charity.donation_make(resident=resident, fund_id=fund.pk, amount=700)
    assert donation.receipt_number.startswith("D-")
    assert LedgerAccount.objects.get(pk=fund.ledger_account_id).balance == 700
    assert points_selectors.balance(resident).balance == 300
    assert points_selectors.statement(resident).lines[0].amount == -700


def test_donation_refusals_move_nothing(resident):
    fund = make_fund(min_donation=500, max_donation=5000)
    pending = make_fund(verification="pending")
    give_points(resident, 1000)
    cases = [
        (fund.pk, 499, DonationAmountOutOfRange),
        (fund.pk, 5001, DonationAmountOutOfRange),
        (fund.pk, 0, NonPositiveAmount),
        (fund.pk, 2000, InsufficientPoints),
        (pending.pk, 600, FundNotAccepting),
    ]
    for fund_id, amount, error in cases:
        with pytest.raises(error):
            services_charity.donation_make(resident=resident, fund_id=fund_id, amount=amount)
    assert Donation.objects.count() == 0
    assert points_selectors.balance(resident).balance == 1000
    assert LedgerAccount.objects.get(pk=fund.ledger_account_id).balance == 0

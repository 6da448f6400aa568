"""Refusals of the rewards shop, each with a stable code (the API's ``code`` field)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gorod.core.errors import Conflict, DomainError, InvalidInput, NotFound, NumbersInText, PermissionDenied


class RewardNotFound(NotFound):
    code = "reward_not_found"
    message = _("This reward does not exist or is not on offer.")


class RewardOutsideWindow(Conflict):
    code = "reward_outside_window"
    message = _("This reward cannot be ordered now: it is outside its availability window.")


class OutOfStock(Conflict):
    code = "out_of_stock"
    message = _("Sorry, this reward is out of stock.")


class OrderLimitReached(Conflict):
    code = "order_limit_reached"
    message = _("You have already ordered this reward as many times as allowed (%(limit)s %(period)s).")


class AccountLevelTooLow(PermissionDenied):
    code = "account_level_too_low"
    message = _("This reward needs a confirmed account of a higher level.")


class PickupPointRequired(Conflict):  # whether the reward is handed out at pickup points
    code = "pickup_point_required"
    message = _("Choose a pickup point for this reward.")


class PickupPointNotForReward(Conflict):  # the reward's pickup points today
    code = "pickup_point_not_for_reward"
    message = _("This reward is not handed out at that pickup point.")


class PickupCodeInvalid(InvalidInput):
    code = "pickup_code_invalid"
    message = _("This pickup code is not valid. Check it or ask the resident to show the QR code again.")


class PickupCheckInvalid(InvalidInput):
    code = "pickup_check_invalid"
    message = _("The check does not match. Ask the resident to read out the check shown under the QR code.")


class PickupCodeOtherPartner(PermissionDenied):
    code = "pickup_code_other_partner"
    message = _("This order belongs to another partner and cannot be handed over here.")


class NotPartnerStaff(PermissionDenied):
    code = "not_partner_staff"
    message = _("Only a partner's staff can use the pickup desk.")


class OrderAlreadyHandedOver(Conflict):
    code = "order_already_handed_over"
    message = _("This order was already handed over.")


class OrderCancelled(Conflict):
    code = "order_cancelled"
    message = _("This order was cancelled.")


class OrderExpired(Conflict):
    code = "order_expired"
    message = _("This order expired: it was not picked up in time.")


class OrderNotCancellable(Conflict):
    code = "order_not_cancellable"
    message = _("Only an order waiting for pickup can be cancelled.")


class OrderNotFound(NotFound):
    code = "order_not_found"
    message = _("No such order.")


class PromoCodesInvalid(InvalidInput):
    code = "promo_codes_invalid"
    message = _("The promo code file could not be read: %(reason)s")


class NotAPromoCodeReward(InvalidInput):
    code = "not_a_promo_code_reward"
    message = _("Promo codes can only be uploaded for a promo code reward.")


class FundNotFound(NotFound):
    code = "fund_not_found"
    message = _("No such charity fund.")


class FundNotAccepting(Conflict):
    code = "fund_not_accepting"
    message = _("This fund does not accept donations at the moment.")


class DonationAmountOutOfRange(NumbersInText, Conflict):  # the fund's own bounds, which it may change
    code = "donation_amount_out_of_range"
    message = _("A donation to this fund must be between %(minimum)s and %(maximum)s points.")


class StaffAlreadyAssigned(Conflict):
    code = "staff_already_assigned"
    message = _("This person already works for another partner.")


class RewardMisconfigured(DomainError):
    code = "reward_misconfigured"
    message = _("This reward is not set up correctly: %(reason)s")
    status = 422


class DonationNotFound(NotFound):
    code = "donation_not_found"
    message = _("No such donation receipt.")

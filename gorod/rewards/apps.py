from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gorod.accounts import roles


class RewardsConfig(AppConfig):
    name = "gorod.rewards"
    label = "rewards"
    verbose_name = _("Million Prizes")
    # Operators run the catalogue (partners, points, rewards, staff, funds); orders and donations
    # are ledger-backed and read-only in the console.
    operator_permissions = (
        "view_",
        "add_category",
        "change_category",
        "add_partner",
        "change_partner",
        "add_pickuppoint",
        "change_pickuppoint",
        "add_reward",
        "change_reward",
        "add_rewardpickuppoint",
        "change_rewardpickuppoint",
        "delete_rewardpickuppoint",
        "add_partnerstaff",
        "delete_partnerstaff",
        "add_charityfund",
        "change_charityfund",
    )
    nav_items = [
        (_("Prizes"), "rewards:catalogue", "all"),
        (_("Charity"), "rewards:funds", "all"),
        (_("My orders"), "rewards:my_orders", "residents"),
        (_("Pickup desk"), "rewards:desk", (roles.PARTNER_STAFF,)),
    ]

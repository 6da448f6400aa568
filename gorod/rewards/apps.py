from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    name = "gorod.rewards"
    label = "rewards"
    verbose_name = _("Million Prizes")
    nav_items = [
        (_("Prizes"), "rewards:catalogue", "all"),
        (_("Charity"), "rewards:funds", "all"),
        (_("My orders"), "rewards:my_orders", "residents"),
        (_("Pickup desk"), "rewards:desk", "staff"),
    ]

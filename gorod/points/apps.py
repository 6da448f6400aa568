from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "gorod.points"
    label = "points"
    verbose_name = _("City points")
    # The ledger is append-only: operators read it and publish new rule versions, nothing else.
    operator_permissions = (
        "view_",
        "add_ruleversion",
        "add_earningrule",
        "change_earningrule",
        "change_programme",
    )
    nav_items = [
        (_("My points"), "points:mine", "residents"),
        (_("How points work"), "points:how", "all"),
    ]

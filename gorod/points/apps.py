from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "gorod.points"
    label = "points"
    verbose_name = _("City points")
    nav_items = [
        (_("My points"), "points:mine", "residents"),
        (_("How points work"), "points:how", "all"),
    ]

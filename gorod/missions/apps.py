from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "gorod.missions"
    label = "missions"
    verbose_name = _("Mission City")
    nav_items = [(_("Challenges"), "missions:list", "all")]

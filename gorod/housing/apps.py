from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "gorod.housing"
    label = "housing"
    verbose_name = _("Electronic Home")
    nav_items = [(_("My home"), "housing:home", "residents")]

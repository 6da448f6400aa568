from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetsConfig(AppConfig):
    name = "gorod.pets"
    label = "pets"
    verbose_name = _("Lost and found pets")
    nav_items = [(_("Lost pets"), "pets:list", "all")]

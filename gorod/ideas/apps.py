from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "gorod.ideas"
    label = "ideas"
    verbose_name = _("City of Ideas")
    nav_items = [(_("City of Ideas"), "ideas:projects", "all")]

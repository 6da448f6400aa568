from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gorod.accounts import roles


class ProblemsConfig(AppConfig):
    name = "gorod.problems"
    label = "problems"
    verbose_name = _("Our City")
    nav_items = [
        (_("Our City"), "problems:map", "all"),
        (_("My reports"), "problems:mine", "residents"),
        (_("Reports to answer"), "problems:queue", (roles.ORGANISATION_RESPONDER,)),
        (_("Moderation of reports"), "problems:moderation", (roles.MODERATOR, roles.OPERATOR)),
    ]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "gorod.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    nav_items = [(_("Notifications"), "notifications:inbox", "residents")]

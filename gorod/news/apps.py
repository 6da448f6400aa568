from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "gorod.news"
    label = "news"
    verbose_name = _("City news")
    nav_items = [
        (_("News"), "news:feed", "all"),
        (_("City services"), "news:catalogue", "all"),
        (_("People of the project"), "news:stories", "all"),
    ]

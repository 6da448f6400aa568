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

    def ready(self) -> None:
        from gorod.core.db import related
        from gorod.news import selectors

        # The decisions map (Active Citizen) links the stories told about each decision.
        related.register("voting.decision", "news.stories", selectors.story_links_for_decisions)

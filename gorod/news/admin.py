from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gorod.accounts.edge import resident_of
from gorod.news import services
from gorod.news.models import CityService, NewsItem, Story, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["title", "published_at", "published", "address"]
    list_filter = ["published", "topics", "districts"]
    search_fields = ["title", "text"]
    filter_horizontal = ["topics", "districts"]
    exclude = ["author"]

    def save_model(self, request: HttpRequest, obj: NewsItem, form: Any, change: bool) -> None:
        obj.save()  # the topics and districts are saved after this; notify once they are

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.news_item_save(item=form.instance, actor=resident_of(request))


@admin.register(CityService)
class CityServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "audience", "is_external", "published"]
    list_filter = ["category", "audience", "is_external", "published"]
    search_fields = ["name", "description"]

    def save_model(self, request: HttpRequest, obj: CityService, form: Any, change: bool) -> None:
        services.city_service_save(service=obj, actor=resident_of(request))


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "published_at", "published", "decision_id"]
    list_filter = ["kind", "published"]

    def save_model(self, request: HttpRequest, obj: Story, form: Any, change: bool) -> None:
        services.story_save(story=obj, actor=resident_of(request))

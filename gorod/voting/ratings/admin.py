"""Console for Pulse of the capital: operators publish the items residents rate."""

from __future__ import annotations

from django.contrib import admin

from gorod.voting.console import OperatorOnly
from gorod.voting.ratings.models import RatedItem


@admin.register(RatedItem)
class RatedItemAdmin(OperatorOnly, admin.ModelAdmin):
    list_display = ["title", "published", "created_at"]
    list_filter = ["published"]

"""Generate the open data catalogue now (the periodic job does it every
``GOROD_OPEN_DATA_EVERY_MINUTES``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gorod.opendata import services


class Command(BaseCommand):
    help = "Generate every open dataset and its Data Package now."

    def handle(self, *args: Any, **options: Any) -> None:
        folder = services.catalogue_publish()
        self.stdout.write(f"published {folder}")

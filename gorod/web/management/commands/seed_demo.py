"""Seed the demo city. Idempotent: running it again adds nothing twice.

Each app may have a ``demo.py`` with ``seed()``; they run in dependency-layer order and may
return demo logins to print.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from gorod.accounts.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create (or top up) the demo city: areas, residents, staff, services and points history."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = []
        for app in settings.INSTALLED_APPS:
            if not app.startswith("gorod."):
                continue
            name = f"{app}.demo"
            if importlib.util.find_spec(name) is None:
                continue
            result = importlib.import_module(name).seed()
            if result:
                logins.extend(result)
            self.stdout.write(f"  seeded {app.removeprefix('gorod.')}")
        self.stdout.write(self.style.SUCCESS("Demo city ready. Sign in at http://127.0.0.1:8000/ with:"))
        for login in logins:
            self.stdout.write(f"  {login.username:<12} {DEMO_PASSWORD}   ({login.who})")

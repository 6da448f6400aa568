from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gorod.core.schedules import all_jobs

log = logging.getLogger("gorod.schedules")


class Command(BaseCommand):
    help = "Run every periodic job once (cron or a systemd timer calls this each minute); --loop to repeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", type=int, metavar="SECONDS", help="run again every SECONDS until stopped"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            for job in all_jobs():
                try:
                    result = job.run()
                    if result:
                        self.stdout.write(f"{job.name}: {result}")
                except Exception:  # one failing job must not stop the others
                    log.exception("scheduled job %s failed", job.name)
            if not options["loop"]:
                return
            time.sleep(options["loop"])

from __future__ import annotations

import logging
import os
import socket
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from gorod.core.schedules import all_jobs, job_claim

log = logging.getLogger("gorod.schedules")


class Command(BaseCommand):
    help = (
        "Run every periodic job once (cron or a systemd timer calls this each minute); --loop to repeat. "
        "With GOROD_SCHEDULE_SLOT_SECONDS set, each job runs once per slot across every node."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", type=int, metavar="SECONDS", help="run again every SECONDS until stopped"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slot_seconds = settings.GOROD_SCHEDULE_SLOT_SECONDS
        node = f"{os.environ.get('GOROD_NODE') or socket.gethostname()}:{os.getpid()}"
        while True:
            for job in all_jobs():
                try:
                    if slot_seconds and not job_claim(job=job.name, node=node, slot_seconds=slot_seconds):
                        continue  # another node runs it in this slot
                    result = job.run()
                    if result:
                        self.stdout.write(f"{job.name}: {result}")
                except Exception:  # one failing job must not stop the others
                    log.exception("scheduled job %s failed", job.name)
            if not options["loop"]:
                return
            time.sleep(options["loop"])

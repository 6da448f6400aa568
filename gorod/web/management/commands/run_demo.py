"""Serve the demo city: the web server, the task worker and the schedules in one process group.

Ctrl-C stops all three together, so e-mails, hold expiry and poll closing happen as in production.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the demo: runserver, the task worker (db_worker) and run_schedules every 30 s."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default=os.environ.get("GOROD_DEMO_ADDR", "127.0.0.1:8000"))

    def handle(self, *args: Any, **options: Any) -> None:
        manage = [sys.executable, "manage.py"]
        commands = [
            [*manage, "runserver", options["addr"], "--noreload"],
            [*manage, "db_worker", "--interval", "1"],
            [*manage, "run_schedules", "--loop", "30"],
        ]
        children = [subprocess.Popen(cmd) for cmd in commands]  # noqa: S603 - our own manage.py
        self.stdout.write(
            self.style.SUCCESS(f"Serving the demo city at http://{options['addr']}/ (Ctrl-C stops)")
        )

        def stop(*_: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()

        def stop_and_exit(*_: Any) -> None:
            stop()
            sys.exit(0)

        signal.signal(signal.SIGTERM, stop_and_exit)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()

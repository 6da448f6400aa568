import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gorod.core.time import city_today
from gorod.points.checks import checkpoint_day, checkpoint_matches
from gorod.points.models import DailyCheckpoint


class Command(BaseCommand):
    help = "Store the Merkle root of a city day's transfers (default: yesterday), or --verify stored roots."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", type=dt.date.fromisoformat, help="YYYY-MM-DD, in the city's zone")
        parser.add_argument("--verify", action="store_true", help="recompute stored roots and compare")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verify"]:
            checkpoints = DailyCheckpoint.objects.all()
            if options["day"]:
                checkpoints = checkpoints.filter(day=options["day"])
            bad = [c.day.isoformat() for c in checkpoints if not checkpoint_matches(c)]
            if bad:
                raise CommandError("checkpoint mismatch on " + ", ".join(bad))
            self.stdout.write(self.style.SUCCESS(f"{checkpoints.count()} checkpoint(s) verified"))
            return
        day = options["day"] or city_today() - dt.timedelta(days=1)
        checkpoint = checkpoint_day(day)
        self.stdout.write(f"{day}: {checkpoint.transfer_count} transfers, root {checkpoint.root}")

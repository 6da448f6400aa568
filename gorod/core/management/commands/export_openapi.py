import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.test import Client


class Command(BaseCommand):
    help = "Write the served OpenAPI document to docs/openapi.json (or --output)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default="docs/openapi.json")

    def handle(self, *args: Any, **options: Any) -> None:
        schema = Client().get("/api/v1/openapi.json").json()
        Path(options["output"]).write_text(
            json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        )
        self.stdout.write(f"wrote {options['output']} ({len(schema.get('paths', {}))} paths)")

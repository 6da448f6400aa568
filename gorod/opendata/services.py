"""Writes of the open data catalogue: generate every dataset as files, once, for all readers.

Generation is a periodic job (schedules.py) and ``manage.py opendata_publish``; pages and the
API only serve the files of the last complete generation, never query per request.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import logging
import secrets
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from gorod.opendata import rules, storage
from gorod.opendata.datasets import DATASETS, Dataset

log = logging.getLogger("gorod.action")

PACKAGE_NAME = "gorod-open-data"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _file_facts(path: Path) -> dict[str, Any]:
    return {"bytes": path.stat().st_size, "hash": f"sha256:{_sha256(path)}"}


def _write_table(dataset: Dataset, folder: Path) -> int:
    """The dataset's rows into ``<name>.csv`` and ``<name>.json`` in one pass; the row count."""
    names = [field.name for field in dataset.fields]
    count = 0
    with (
        (folder / f"{dataset.name}.csv").open("w", encoding="utf-8", newline="") as csv_file,
        (folder / f"{dataset.name}.json").open("w", encoding="utf-8") as json_file,
    ):
        writer = csv.writer(csv_file, lineterminator="\n")
        writer.writerow(names)
        json_file.write("[")
        for row in dataset.rows():
            writer.writerow([rules.csv_value(row[name]) for name in names])
            json_file.write(",\n" if count else "\n")
            json_file.write(
                json.dumps({name: rules.json_value(row[name]) for name in names}, ensure_ascii=False)
            )
            count += 1
        json_file.write("\n]\n")
    return count


def _resources(dataset: Dataset, folder: Path, *, row_count: int, updated: str, licence: dict) -> list[dict]:
    schema = {"fields": [field.as_descriptor() for field in dataset.fields]}
    common = {
        "title": str(dataset.title),
        "description": str(dataset.description),
        "licenses": [licence],
        "sources": [{"title": title, "path": path} for title, path in dataset.sources],
        "last_updated": updated,
        "row_count": row_count,
    }
    resources = [
        {
            "name": dataset.name,
            "type": "table",
            "path": f"{dataset.name}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            **common,
            **_file_facts(folder / f"{dataset.name}.csv"),
            "schema": schema,
        },
        # Tabular JSON (an array of objects) is read by frictionless without counting bytes, so
        # no size or hash here; and it cannot read an empty array as a table, so an empty dataset's
        # JSON is declared as a plain JSON file (its CSV still carries the table).
        {
            "name": f"{dataset.name}-json",
            "type": "table" if row_count else "json",
            "path": f"{dataset.name}.json",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            **common,
            "schema": schema,
        },
    ]
    if dataset.geojson is not None:
        path = folder / f"{dataset.name}.geojson"
        path.write_text(json.dumps(dataset.geojson(), ensure_ascii=False), encoding="utf-8")
        resources.append(
            {
                "name": f"{dataset.name}-geojson",
                "type": "json",
                "path": path.name,
                "format": "geojson",
                "mediatype": "application/geo+json",
                "encoding": "utf-8",
                **common,
                **_file_facts(path),
            }
        )
    return resources


def catalogue_publish(*, now: dt.datetime | None = None) -> Path:
    """Generate every dataset and its Data Package into a new folder, then make it the current
    one (atomically) and drop old generations. Returns the new folder."""
    now = now or timezone.now()
    licence = rules.licence_of(settings.OPEN_DATA_LICENCE).as_descriptor()
    updated = rules.iso_utc(now) or ""
    root = storage.root()
    root.mkdir(parents=True, exist_ok=True)
    name = f"{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"
    work = root / f".{name}.tmp"
    work.mkdir()
    try:
        resources: list[dict] = []
        # The package is written in English; the catalogue page translates its own labels.
        with translation.override("en"):
            for dataset in DATASETS:
                rows = _write_table(dataset, work)
                resources.extend(_resources(dataset, work, row_count=rows, updated=updated, licence=licence))
        package = {
            "name": PACKAGE_NAME,
            "title": f"{settings.CITY_NAME}: open data of the residents' participation services",
            "description": (
                "Results of polls and their ballots, decisions, maintenance reports, ideas and the "
                "points economy, without any resident's identity; groups under "
                f"{rules.MIN_GROUP} are pooled."
            ),
            "licenses": [licence],
            "sources": [{"title": "gorod", "path": "/opendata/"}],
            "created": updated,
            "resources": resources,
        }
        (work / storage.PACKAGE).write_text(
            json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        folder = root / name
        work.rename(folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    storage.make_current(folder)
    storage.prune()
    log.info("open data published", extra={"folder": folder.name, "resources": len(resources)})
    return folder


def catalogue_publish_due(*, now: dt.datetime | None = None) -> Path | None:
    """Publish when the current generation is older than ``OPEN_DATA_EVERY_MINUTES`` (or there is
    none); otherwise nothing, so ``run_schedules`` may call this every minute."""
    now = now or timezone.now()
    current = storage.current_generation()
    if current is not None:
        created = json.loads((current / storage.PACKAGE).read_text(encoding="utf-8")).get("created")
        if created:
            age = now - dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
            if age < dt.timedelta(minutes=settings.OPEN_DATA_EVERY_MINUTES):
                return None
    return catalogue_publish(now=now)

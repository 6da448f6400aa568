"""Reads of the open data catalogue: the last generated Data Package and its files (no database)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gorod.opendata import storage
from gorod.opendata.datasets import BY_NAME


@dataclass(frozen=True)
class Download:
    format: str
    filename: str
    bytes: int
    row_count: int


@dataclass(frozen=True)
class CatalogueEntry:
    name: str
    title: str
    description: str
    licence: dict[str, str]
    updated: dt.datetime
    row_count: int
    downloads: list[Download]


@dataclass(frozen=True)
class Catalogue:
    created: dt.datetime
    licence: dict[str, str]
    entries: list[CatalogueEntry]


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def package() -> dict[str, Any] | None:
    """The current ``datapackage.json`` as written, or None before the first generation."""
    folder = storage.current_generation()
    if folder is None:
        return None
    return json.loads((folder / storage.PACKAGE).read_text(encoding="utf-8"))


def catalogue() -> Catalogue | None:
    """The datasets of the current generation, each with its downloads (CSV, JSON, GeoJSON)."""
    folder = storage.current_generation()
    found = package()
    if folder is None or found is None:
        return None
    entries: dict[str, CatalogueEntry] = {}
    for resource in found["resources"]:
        dataset_name = resource["name"].removesuffix("-json").removesuffix("-geojson")
        dataset = BY_NAME.get(dataset_name)
        entry = entries.get(dataset_name)
        if entry is None:
            entry = entries[dataset_name] = CatalogueEntry(
                name=dataset_name,
                # Titles from the code so the page is in the visitor's language; the package is in English.
                title=str(dataset.title) if dataset else resource["title"],
                description=str(dataset.description) if dataset else resource.get("description", ""),
                licence=resource["licenses"][0],
                updated=_moment(resource["last_updated"]),
                row_count=resource.get("row_count", 0),
                downloads=[],
            )
        entry.downloads.append(
            Download(
                format=resource["format"],
                filename=resource["path"],
                bytes=(folder / resource["path"]).stat().st_size,
                row_count=resource.get("row_count", 0),
            )
        )
    return Catalogue(
        created=_moment(found["created"]), licence=found["licenses"][0], entries=list(entries.values())
    )


def file_path(filename: str) -> Path | None:
    """A file of the current generation, only if the package lists it (no other path is served)."""
    folder = storage.current_generation()
    if folder is None:
        return None
    if filename == storage.PACKAGE:
        return folder / storage.PACKAGE
    found = package() or {"resources": []}
    if filename in {resource["path"] for resource in found["resources"]}:
        path = folder / filename
        return path if path.is_file() else None
    return None

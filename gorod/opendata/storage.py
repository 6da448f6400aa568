"""Where the generated catalogue lives: one folder per generation under ``OPEN_DATA_ROOT`` and a
``current`` file naming the newest complete one, replaced atomically, so a reader always sees a
whole generation and a generation is never served half-written."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from django.conf import settings

CURRENT = "current"
PACKAGE = "datapackage.json"
KEEP_GENERATIONS = 2  # the newest and the one before, which a download may still be reading


def root() -> Path:
    return Path(settings.OPEN_DATA_ROOT)


def current_generation() -> Path | None:
    try:
        name = (root() / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    folder = root() / name
    return folder if name and (folder / PACKAGE).is_file() else None


def make_current(folder: Path) -> None:
    pointer = root() / f".{CURRENT}.{folder.name}.tmp"
    pointer.write_text(folder.name, encoding="utf-8")
    os.replace(pointer, root() / CURRENT)


def prune() -> None:
    """Remove generations older than the newest ``KEEP_GENERATIONS`` and abandoned work folders."""
    current = current_generation()
    generations = sorted(p for p in root().iterdir() if p.is_dir() and not p.name.startswith("."))
    keep = set(generations[-KEEP_GENERATIONS:])
    if current is not None:
        keep.add(current)
    for folder in generations:
        if folder not in keep:
            shutil.rmtree(folder, ignore_errors=True)

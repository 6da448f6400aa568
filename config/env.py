"""Reading settings from the environment: the helpers config/settings.py and config/identity.py
share, and whether debug is on (everything that must never be live in production keys on it)."""

from __future__ import annotations

import os


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def env_rate(name: str, default: str) -> tuple[int, int]:
    count, _sep, seconds = os.environ.get(name, default).partition("/")
    return int(count), int(seconds or 60)


DEBUG = env_bool("DJANGO_DEBUG", True)

"""Every user-facing string ships in Russian: no msgid missing, empty or fuzzy in any app."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
APPS = sorted(p.parent for p in (ROOT / "gorod").glob("*/apps.py"))


def catalogue(app: Path) -> Path:
    return app / "locale" / "ru" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.name)
def test_committed_catalogue_is_complete_and_compiled(app):
    po_path = catalogue(app)
    if not po_path.exists():
        pytest.skip(f"{app.name} has no catalogue yet (checked against the source below)")
    po = polib.pofile(str(po_path))
    assert [e.msgid for e in po if e.fuzzy] == [], "fuzzy entries"
    assert [e.msgid for e in po if not e.translated() and not e.obsolete] == [], "untranslated entries"
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    # keyed by context too: "Progress" of a quest and "Progress" (msgctxt "decision") of a
    # decision are two entries, and one must not hide the other
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo}
    stale = [
        e.msgid
        for e in po
        if not e.obsolete and not e.msgid_plural and compiled.get((e.msgctxt, e.msgid)) != e.msgstr
    ]
    assert stale == [], "django.mo is out of date: run compilemessages"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (make system-deps)")
def test_every_string_in_the_source_is_in_the_catalogue(tmp_path):
    """Extract strings afresh from a copy of the source and compare with the committed catalogues."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT / "gorod", copy / "gorod", ignore=shutil.ignore_patterns("locale", "tests", "__pycache__")
    )
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    shutil.copytree(ROOT / "config", copy / "config", ignore=shutil.ignore_patterns("__pycache__"))
    # Django merges every app's catalogue at run time, so a string counts as translated when any
    # committed catalogue translates it.
    translated: set[str] = set()
    for app in APPS:
        if catalogue(app).exists():
            translated |= {e.msgid for e in polib.pofile(str(catalogue(app))) if e.translated()}
    problems = {}
    for app in APPS:
        target = copy / "gorod" / app.name
        (target / "locale").mkdir()
        subprocess.run(
            [sys.executable, str(copy / "manage.py"), "makemessages", "-l", "ru", "-v", "0", "--no-obsolete"],
            cwd=target,
            check=True,
        )
        fresh = target / "locale" / "ru" / "LC_MESSAGES" / "django.po"
        if not fresh.exists():
            continue
        if missing := sorted({e.msgid for e in polib.pofile(str(fresh))} - translated):
            problems[app.name] = missing[:10]
    assert problems == {}, f"untranslated strings (run makemessages and translate): {problems}"


# Django merges the apps' catalogues into one: a msgid with two translations shows the first
# app's (INSTALLED_APPS order) on every page, so the mission leaderboard's "Name" read
# «Название» (accounts') and a poll's "Votes" column «Голосования» (the polls section). A word
# with two meanings takes a context ({% translate "Votes" context "number of votes" %}). These
# differ only in wording, and either reads right wherever the word is used (reviewed):
SYNONYMS = {
    "Mission City", "Mission City challenges", "Lost and found pets", "Back to the home page",
    "Sign up", "Search", "Status", "Any status", "status", "position", "active", "partner staff",
    "title", "published", "published at", "created at", "issued", "cancelled", "expired", "Next",
    "Limit", "The request was rejected.", "No requests waiting.", "provider", "rejected",
    "accepted", "approved", "voting", "Reason", "Older", "Import",
    "Nothing to moderate.", "Results", "results", "Outcome", "open", "rejected by the moderator",
    "organisation responder", "closed at", "given at", "photo", "rating", "ratings",
    "There is no such address in the city's register.",
}  # fmt: skip


def test_no_msgid_means_two_things_across_the_catalogues():
    translations: dict[tuple[str | None, str], dict[str, str]] = {}
    for app in APPS:
        if catalogue(app).exists():
            for entry in polib.pofile(str(catalogue(app))):
                if entry.translated() and not entry.obsolete and not entry.msgid_plural:
                    translations.setdefault((entry.msgctxt, entry.msgid), {})[app.name] = entry.msgstr
    conflicts = {
        key: by_app
        for key, by_app in translations.items()
        if len(set(by_app.values())) > 1 and not (key[0] is None and key[1] in SYNONYMS)
    }
    assert conflicts == {}, "translated differently in two apps; give each meaning a context"

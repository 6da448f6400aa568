"""The API description in docs/openapi.json is the one the server serves."""

from __future__ import annotations

import json
from pathlib import Path

from django.test import Client

DOC = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def test_checked_in_openapi_matches_the_served_schema(db):
    served = Client().get("/api/v1/openapi.json")
    assert served.status_code == 200
    current = json.loads(DOC.read_text()) if DOC.exists() else None
    assert current == served.json(), "docs/openapi.json is stale: run `make openapi` and commit it"


def test_docs_page_is_served(db):
    assert Client().get("/api/v1/docs").status_code == 200

"""The API description in docs/openapi.json is the one the server serves."""

from __future__ import annotations

import enum
import json
import typing
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic
from django.test import Client

DOC = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def test_checked_in_openapi_matches_the_served_schema(db):
    served = Client().get("/api/v1/openapi.json")
    assert served.status_code == 200
    current = json.loads(DOC.read_text()) if DOC.exists() else None
    assert current == served.json(), "docs/openapi.json is stale: run `make openapi` and commit it"


def test_docs_page_is_served(db):
    assert Client().get("/api/v1/docs").status_code == 200


def _named_types(annotation: Any, seen: set[Any]) -> Iterator[type]:
    """Every model and enum an annotation reaches: what the document lists under components, by
    class name (ninja's own wrappers for parameters and responses are walked, not named)."""
    if annotation in seen:
        return
    seen.add(annotation)
    for arg in typing.get_args(annotation):
        yield from _named_types(arg, seen)
    if not isinstance(annotation, type):
        return
    if issubclass(annotation, enum.Enum):
        yield annotation
    elif issubclass(annotation, pydantic.BaseModel):
        if not hasattr(annotation, "__ninja_param_source__") and annotation.__name__ != "NinjaResponseSchema":
            yield annotation
        for field in annotation.model_fields.values():
            yield from _named_types(field.annotation, seen)


def schema_classes_by_name() -> dict[str, set[type]]:
    from config.api import api

    seen: set[Any] = set()
    by_name: dict[str, set[type]] = defaultdict(set)
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.models, *operation.response_models.values()]:
                    for named in _named_types(model, seen):
                        by_name[named.__name__].add(named)
    return by_name


def test_no_two_schemas_share_a_name():
    """ninja names each component after its class and silently keeps one of two classes with the
    same name: the document then describes one app's body for another's operation."""
    by_name = schema_classes_by_name()
    assert len(by_name) > 50
    shared = {
        name: sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in classes)
        for name, classes in by_name.items()
        if len(classes) > 1
    }
    assert shared == {}, f"schema names used by more than one class (rename one): {shared}"


def test_the_duplicate_check_sees_a_duplicate(monkeypatch):
    from ninja import Schema

    from config.api import api

    class ReportOut(Schema):  # the problems app has its own ReportOut
        other: int

    operation = next(
        op for r in api._get_bound_routers() for pv in r.path_operations.values() for op in pv.operations
    )
    monkeypatch.setitem(operation.response_models, 418, ReportOut)
    assert len(schema_classes_by_name()["ReportOut"]) == 2


def test_documented_bodies_are_the_ones_each_operation_reads():
    """The names that once merged: each operation's body and answer in the document is its own."""
    doc = Client().get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    moderation = doc["paths"]["/api/v1/problems/reports/{report_id}/moderation"]["post"]
    body_ref = moderation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert schemas[body_ref.rsplit("/", 1)[1]]["properties"]["decision"]["enum"] == ["accept", "reject"]
    report = doc["paths"]["/api/v1/discussions/{discussion_id}/report"]["get"]
    answer_ref = report["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert set(schemas[answer_ref.rsplit("/", 1)[1]]["properties"]) == {"discussion", "comments"}

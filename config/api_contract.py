"""The published contract's refusals: every operation documents its 4xx (and 503) answers with the
error body ``{"code", "message", "details"}`` and, per status, the stable codes it may answer with,
so a client generated from the document can handle each refusal by its code.

ninja documents only what a view returns; refusals are raised (``DomainError`` subclasses, mapped
in ``config.api``) or answered by middleware (rate limits, Idempotency-Key, bad characters). The codes
an operation may raise are taken per app: the app's own errors plus those of the layers below it
(points, notifications, accounts, core), which its services call. The generic answers follow from
the operation itself: 401 when it needs a resident, 413/429 and the Idempotency-Key answers on writes.

Public reads that still recognise a signed-in resident are documented with an optional security
requirement (``{}``), as OpenAPI spells "authentication not needed".
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict
from functools import cache
from http.client import responses as reason_phrases
from typing import Any

from django.utils import translation
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

import gorod
from gorod.accounts.auth import is_public_auth
from gorod.core.errors import DomainError

ERROR_SCHEMA = "Error"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Layers every domain app's services call into (pyproject.toml's import-linter layers).
SHARED_APPS = ("core", "accounts", "points", "notifications")

# Answers that do not come from a DomainError: (status, code, message).
NOT_AUTHENTICATED = (401, "not_authenticated", "Sign in or send a valid API token.")
CSRF_REFUSED = (403, "forbidden", "CSRF check failed (a session without its CSRF token).")
INVALID_INPUT = (422, "invalid_input", "Some fields are not valid (details.errors names each field).")
BAD_CHARACTERS = (422, "invalid_characters", "A text contains a character that is not allowed (NUL).")
BAD_BODY = (400, "bad_request", "The body cannot be read (not a JSON object).")
TOO_BIG = (413, "payload_too_large", "The request body is too large.")
RATE_LIMITED = (429, "rate_limited", "Too many requests; retry after the Retry-After header's seconds.")
KEY_INVALID = (422, "idempotency_key_invalid", "The Idempotency-Key is too long (255 at most).")
KEY_REUSED = (422, "idempotency_key_reused", "This Idempotency-Key was already used for a different request.")
KEY_BUSY = (409, "idempotency_request_in_progress", "A request with this Idempotency-Key is still running.")
DATABASE_UNAVAILABLE = (503, "database_unavailable", "Briefly unavailable; retry after Retry-After seconds.")
GENERIC_REFUSALS = (
    NOT_AUTHENTICATED,
    CSRF_REFUSED,
    INVALID_INPUT,
    BAD_CHARACTERS,
    BAD_BODY,
    TOO_BIG,
    RATE_LIMITED,
    KEY_INVALID,
    KEY_REUSED,
    KEY_BUSY,
    DATABASE_UNAVAILABLE,
)


def error_schema() -> dict[str, Any]:
    return {
        "title": ERROR_SCHEMA,
        "type": "object",
        "description": "Every refusal: a stable machine-readable code, a translated message, details.",
        "properties": {
            "code": {"type": "string", "description": "Stable code; the operation's responses list them."},
            "message": {"type": "string", "description": "For people, in the request's language."},
            "details": {
                "type": "object",
                "description": "Facts about the refusal, e.g. `field` (the input at fault) or `errors`.",
                "additionalProperties": True,
            },
        },
        "required": ["code", "message", "details"],
    }


def _app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "gorod" else ""


@cache
def domain_codes_by_app() -> dict[str, dict[int, dict[str, str]]]:
    """{app: {status: {code: message}}} for every DomainError subclass, each errors module imported."""
    for app in pkgutil.iter_modules(gorod.__path__):
        package = importlib.import_module(f"gorod.{app.name}")
        for module in pkgutil.iter_modules(package.__path__):
            if module.name.startswith("errors"):
                importlib.import_module(f"gorod.{app.name}.{module.name}")
    found: dict[str, dict[int, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    pending: list[type[DomainError]] = [DomainError]
    with translation.override("en"):
        while pending:
            cls = pending.pop()
            pending.extend(cls.__subclasses__())
            found[_app_of(cls.__module__)][cls.status][cls.code] = str(cls.message)
    return found


def operation_refusals(operation: Operation) -> dict[int, dict[str, str]]:
    """{status: {code: message}}: what this operation may answer instead of doing its work."""
    refusals: dict[int, dict[str, str]] = defaultdict(dict)
    by_app = domain_codes_by_app()
    for app in {_app_of(operation.view_func.__module__), *SHARED_APPS}:
        for status, codes in by_app.get(app, {}).items():
            refusals[status].update(codes)
    generic = [INVALID_INPUT, BAD_CHARACTERS, DATABASE_UNAVAILABLE]
    if operation.auth_callbacks and not is_public_auth(operation.auth_callbacks):
        generic += [NOT_AUTHENTICATED, CSRF_REFUSED]
    if WRITE_METHODS.intersection(operation.methods):
        generic += [BAD_BODY, TOO_BIG, RATE_LIMITED, KEY_INVALID, KEY_REUSED, KEY_BUSY]
    for status, code, message in generic:
        refusals[status].setdefault(code, message)
    return refusals


def error_response(status: int, codes: dict[str, str]) -> dict[str, Any]:
    listed = ", ".join(f"`{code}`" for code in sorted(codes))
    return {
        "description": f"{reason_phrases.get(status, 'Error')}: {listed}",
        "x-error-codes": sorted(codes),
        "content": {
            "application/json": {
                "schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"},
                # Each code's example is written once, under components/examples, and referred
                # to here: inline, the same examples on every operation made a 2.9 MB document.
                "examples": {code: {"$ref": f"#/components/examples/{code}"} for code in sorted(codes)},
            }
        },
    }


# PostgreSQL's text cannot hold NUL, so no string the API reads or writes has one (the
# NulCharacterMiddleware refuses it); the document says so on every string and object key.
NUL_FREE = "^[^\\x00]*$"
# Uploads are photos (reports, answers, contest entries) unless an operation names its types.
PHOTO_TYPES = "image/jpeg, image/png, image/webp"


def admits_nul(pattern: str) -> bool:
    """Whether a string with NUL may match ``pattern``: False only when it is anchored at both ends
    and every part of it excludes NUL (literals, ``\\d``/``\\s``/``\\w``, classes without NUL and
    negated classes that name ``\\x00``); a pattern it cannot judge admits NUL."""
    if not (pattern.startswith("^") and pattern.endswith("$")):
        return True
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            if pattern[i + 1 : i + 2] in ("S", "W", "D", "x", "u", "0", "c"):
                return True
            i += 2
        elif char == "[":
            end = i + 1
            while end < len(pattern) and pattern[end] != "]":
                end += 2 if pattern[end] == "\\" else 1
            members = pattern[i + 1 : end]
            if members.startswith("^") and "\\x00" not in members:
                return True
            if not members.startswith("^") and any(e in members for e in ("\\S", "\\W", "\\D", "\\x", "\\u")):
                return True
            i = end + 1
        elif char == ".":
            return True
        else:
            i += 1
    return False


def forbid_nul(node: Any) -> None:
    """Add the NUL-free pattern to every string schema (unless its own pattern already excludes
    NUL, see ``admits_nul``; a second pattern in ``allOf`` otherwise) and to the property names of
    free-form objects, in place; formats, enums and examples are left as they are. A text with a
    rule of its own is best written as one NUL-free pattern (gorod.core.api_fields): schemathesis's
    coverage phase spends minutes on a field with two."""
    if isinstance(node, list):
        for item in node:
            forbid_nul(item)
        return
    if not isinstance(node, dict):
        return
    if node.get("type") == "string" and not {"format", "enum", "const"} & node.keys():
        if "pattern" not in node:
            node["pattern"] = NUL_FREE
        elif admits_nul(node["pattern"]) and {"pattern": NUL_FREE} not in node.get("allOf", []):
            node.setdefault("allOf", []).append({"pattern": NUL_FREE})
    if node.get("type") == "object" and node.get("additionalProperties"):
        # Only free-form objects take keys the client chooses (fixed properties are named here).
        node.setdefault("propertyNames", {"pattern": NUL_FREE})
    for key, value in node.items():
        if key not in ("examples", "example", "default"):
            forbid_nul(value)


def declare_photo_uploads(body: dict[str, Any]) -> None:
    multipart = body.get("content", {}).get("multipart/form-data")
    if not multipart:
        return
    for name, prop in multipart["schema"].get("properties", {}).items():
        if prop.get("format") == "binary" or prop.get("items", {}).get("format") == "binary":
            # An operation that takes other files (tables) says so itself (its openapi_extra).
            multipart.setdefault("encoding", {}).setdefault(name, {"contentType": PHOTO_TYPES})


ANY_JSON = "AnyJson"
ANY_JSON_REF = {"$ref": f"#/components/schemas/{ANY_JSON}"}


def any_json_schema() -> dict[str, Any]:
    """What a body may carry besides its fields: any JSON value without NUL (ignored)."""
    return {
        "title": ANY_JSON,
        "description": "Any JSON value without NUL in its texts and keys; a field the operation "
        "does not name is ignored.",
        "anyOf": [
            {"type": "string", "pattern": NUL_FREE},
            {"type": ["number", "boolean", "null"]},
            {"type": "array", "items": ANY_JSON_REF},
            {"type": "object", "propertyNames": {"pattern": NUL_FREE}, "additionalProperties": ANY_JSON_REF},
        ],
    }


def allow_extra_fields(node: Any, components: dict[str, Any], seen: set[str]) -> None:
    """Say what the services do with a field they do not name (ignore it) on every object a
    request body holds: pydantic ignores extras, and JSON Schema's silence would allow any value,
    NUL included, which the NulCharacterMiddleware refuses."""
    if isinstance(node, list):
        for item in node:
            allow_extra_fields(item, components, seen)
        return
    if not isinstance(node, dict):
        return
    ref = node.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            allow_extra_fields(components.get(name), components, seen)
        return
    if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = ANY_JSON_REF
    for key, value in node.items():
        if key not in ("examples", "example", "default"):
            allow_extra_fields(value, components, seen)


class ContractSchema(OpenAPISchema):
    def __init__(self, api: Any, path_prefix: str) -> None:
        super().__init__(api, path_prefix)
        schemas = self["components"]["schemas"]
        for operations in self["paths"].values():
            for operation in operations.values():
                allow_extra_fields(operation.get("requestBody"), schemas, set())
        forbid_nul(self["paths"])
        forbid_nul(schemas)
        schemas[ANY_JSON] = any_json_schema()

    def operation_details(self, operation: Operation) -> dict[str, Any]:
        details = super().operation_details(operation)
        if operation.auth_callbacks and is_public_auth(operation.auth_callbacks):
            details["security"] = [*details.get("security", []), {}]
        if "requestBody" in details:
            declare_photo_uploads(details["requestBody"])
        responses = details["responses"]
        for status, codes in sorted(operation_refusals(operation).items()):
            if status not in responses:
                responses[status] = error_response(status, codes)
        return details

    def get_components(self) -> dict[str, Any]:
        components = super().get_components()
        components["schemas"][ERROR_SCHEMA] = error_schema()
        examples = components.setdefault("examples", {})
        for _status, code, message in GENERIC_REFUSALS:
            examples[code] = {"value": {"code": code, "message": message, "details": {}}}
        for codes in domain_codes_by_app().values():
            for by_code in codes.values():
                for code, message in by_code.items():
                    examples.setdefault(code, {"value": {"code": code, "message": message, "details": {}}})
        return components

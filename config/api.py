"""The /api/v1 surface: one NinjaAPI that mounts each app's router and maps errors to JSON.

Each app's ``api.py`` exposes ``router`` and ``API_PREFIX``; apps are mounted in layer order.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import logging
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.errors import ConfigError as NinjaConfigError
from ninja.params.models import BodyModel, ParamModel, _MultiPartBodyModel
from ninja.parser import Parser

from config.api_contract import ContractSchema
from gorod.accounts.auth import api_auth
from gorod.core.errors import (
    DATABASE_UNAVAILABLE_MESSAGE,
    DATABASE_UNAVAILABLE_RETRY_AFTER,
    SERVER_ERROR_MESSAGE,
    DomainError,
    is_database_unavailable,
)

log = logging.getLogger("gorod.api")


class JsonObjectParser(Parser):
    """Every API body is a JSON object: ninja's schemas would otherwise read any other value (an
    array, a number) as an object whose fields all take their defaults, and act on it."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the body is not a JSON object")
        return data


_JSON_TYPES: dict[str, Any] = {
    # JSON Schema's integer is a number without a fraction: 43.0 is one (schemathesis sends it).
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


def json_type_errors(value: Any, schema: dict[str, Any], defs: dict[str, Any], loc: tuple) -> list[dict]:
    """Where a parsed JSON body's values are not of the JSON type its schema documents. pydantic's
    lax reading would take ``true`` or ``"5"`` as an integer and ``"yes"`` or ``1`` as a boolean, so
    a request the document calls invalid was carried out; its strict mode cannot be used instead
    (ninja's schemas read their input as attributes, where a date must already be a date)."""
    if "$ref" in schema:
        schema = defs.get(schema["$ref"].rsplit("/", 1)[-1], {})
    if "anyOf" in schema:
        branches = [json_type_errors(value, branch, defs, loc) for branch in schema["anyOf"]]
        return [] if any(not errors for errors in branches) else branches[0]
    kind = schema.get("type")
    if isinstance(kind, str) and kind in _JSON_TYPES and not _JSON_TYPES[kind](value):
        return [{"loc": loc, "msg": f"Input should be a JSON {kind}", "type": "json_type"}]
    errors: list[dict] = []
    if isinstance(value, dict):
        for name, prop in schema.get("properties", {}).items():
            if name in value:
                errors += json_type_errors(value[name], prop, defs, (*loc, name))
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            errors += json_type_errors(item, schema["items"], defs, (*loc, index))
    return errors


@cache
def _body_schema(model: type[BodyModel]) -> dict[str, Any]:
    return model.model_json_schema()


def _resolve_json_body(cls: type[BodyModel], request: HttpRequest, api: Any, path_params: Any) -> BodyModel:
    """A JSON body's values must have the JSON types the document gives them, then pydantic reads it."""
    data = cls.get_request_data(request, api, path_params)
    if data is not None:
        schema = _body_schema(cls)
        errors = json_type_errors(cls._map_data_paths(data), schema, schema.get("$defs", {}), ("body",))
        if errors:
            raise ValidationError(errors)
    return ParamModel.__dict__["resolve"].__func__(cls, request, api, path_params)


# Every JSON body model, whenever its router was built; multipart bodies are form fields (texts)
# and keep ninja's reading.
BodyModel.resolve = classmethod(_resolve_json_body)  # type: ignore[method-assign,assignment]
_MultiPartBodyModel.resolve = ParamModel.__dict__["resolve"]  # type: ignore[method-assign]


class GorodAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return ContractSchema(self, path_prefix)


api = GorodAPI(
    title="gorod API",
    version="1",
    description="Residents' city services on one identity and one points economy.",
    urls_namespace="api",
    auth=api_auth,
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=JsonObjectParser(),
)


def _error(request: HttpRequest, status: int, code: str, message: str, details: Any = None) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "details": details or {}}, status=status
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body = exc.as_dict()
    return _error(request, exc.status, body["code"], body["message"], body["details"])


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if exc.errors and all(e.get("loc", ("",))[0] == "path" for e in exc.errors):
        # An id in the path that is not a number names nothing: not found, as /polls/abc/ would be
        # on the site, rather than an input error the client could correct.
        return _error(request, 404, "not_found", _("Not found."))
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]), "message": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    return _error(request, 422, "invalid_input", _("Some fields are not valid."), {"errors": errors})


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "not_authenticated", _("Sign in or send a valid API token."))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}.get(
        exc.status_code, "http_error"
    )
    return _error(request, exc.status_code, code, str(exc.message))


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, "payload_too_large", _("The request body is too large."))


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the database is restarting or unreachable; the client retries (with
    the same Idempotency-Key), and a write that got this answer did not happen."""
    response = _error(
        request,
        503,
        "database_unavailable",
        str(DATABASE_UNAVAILABLE_MESSAGE),
        {"request_id": getattr(request, "request_id", "")},
    )
    response["Retry-After"] = str(DATABASE_UNAVAILABLE_RETRY_AFTER)
    return response


@api.exception_handler(Exception)
def on_unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug, not a refusal: log it with its stack (and the request id), answer 500 with the id only.
    A database that does not answer is not a bug: 503 (logged as a warning)."""
    if is_database_unavailable(exc):
        log.warning("database unavailable in %s %s: %s", request.method, request.path, exc)
        return _logged(database_unavailable(request))
    log.error("unhandled error in %s %s", request.method, request.path, exc_info=exc)
    request_id = getattr(request, "request_id", "")
    return _logged(
        _error(
            request,
            500,
            "server_error",
            str(SERVER_ERROR_MESSAGE),
            {"request_id": request_id},
        )
    )


def _logged(response: HttpResponse) -> HttpResponse:
    """Logged once above: Django's request logger would log it again (a 503 at ERROR)."""
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


APPS_IN_LAYER_ORDER = [
    app.removeprefix("gorod.") for app in settings.INSTALLED_APPS if app.startswith("gorod.")
]

for app in APPS_IN_LAYER_ORDER:
    module_name = f"gorod.{app}.api"
    if importlib.util.find_spec(module_name) is None:
        continue
    module = importlib.import_module(module_name)
    try:
        api.add_router(getattr(module, "API_PREFIX", f"/{app}"), module.router)
    except NinjaConfigError:  # pragma: no cover - a router mounted twice in the same process
        log.exception("router of %s already mounted", app)

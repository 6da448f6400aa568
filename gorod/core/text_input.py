"""Refuse a NUL character in any text a request brings (path, query string, form fields, file names,
JSON strings and keys), once for the whole site and API.

PostgreSQL's text cannot hold NUL: a NUL that reaches a query or an insert is a driver error (500)
wherever a string is filtered or stored, so checking each field would always miss one. No resident
types one; a client that sends one gets 422 ``invalid_characters`` from the API, 400 from the site.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

NUL = "\x00"
API_PREFIX = "/api/"
OPEN311_PREFIX = "/open311/"
# A JSON text can only carry NUL escaped (a raw control character is not valid JSON).
_JSON_NUL_ESCAPES = (b"\\u0000", b"\\U0000")


class NulCharacter(SuspiciousOperation):
    """A NUL in a request's text; Django answers a SuspiciousOperation with its 400 page."""


def holds_nul(value: Any) -> bool:
    """Whether a decoded JSON value has NUL in any string or key."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_nul(v) for v in value)
    return False


def _json_body_holds_nul(request: HttpRequest) -> bool:
    try:
        body = request.body
    except RequestDataTooBig:  # the view answers it (413)
        return False
    if not any(escape in body for escape in _JSON_NUL_ESCAPES):
        return False
    try:
        return holds_nul(json.loads(body))
    except ValueError:  # not JSON: the view refuses it as such
        return False


def _form_holds_nul(request: HttpRequest) -> bool:
    try:
        fields = request.POST
        files = request.FILES
    except (RequestDataTooBig, MultiPartParserError):  # the view answers these
        return False
    return any(NUL in key or any(NUL in v for v in fields.getlist(key)) for key in fields) or any(
        NUL in key or any(NUL in (f.name or "") for f in files.getlist(key)) for key in files
    )


def request_holds_nul(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    if NUL in request.path or NUL in query or "%00" in query:
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return _form_holds_nul(request)
    if content_type == "application/json" or content_type.endswith("+json"):
        return _json_body_holds_nul(request)
    return False


class NulCharacterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request_holds_nul(request):
            message = _("A text contains a character that is not allowed (NUL).")
            if request.path.startswith(API_PREFIX):
                body = {"code": "invalid_characters", "message": message, "details": {}}
                return JsonResponse(body, status=422)
            if request.path.startswith(OPEN311_PREFIX):  # GeoReport v2 errors are a list
                return JsonResponse([{"code": 400, "description": message}], status=400, safe=False)
            raise NulCharacter("NUL character in the request")
        return self.get_response(request)

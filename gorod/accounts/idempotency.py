"""``Idempotency-Key`` for state-changing API calls: a client that did not get an answer (a
timeout, a restart of the database or of the app) retries with the same key and gets the first
answer back, without the action happening twice.

A keyed request runs in one transaction of its own: the claim on the key (a row, unique per
resident and key), the business action and the stored answer commit together or not at all.
So a database that goes away at any moment leaves either the action *and* its answer (a retry
replays it) or neither (a retry acts); never an action whose answer was lost, which a retry
would do again. A concurrent call with the same key waits on the key's unique index and then
replays. A 4xx answer is stored (the refusal is the answer); a 5xx rolls everything back. The
same key with another method, path or body is refused with 422 ``idempotency_key_reused``.
Keys are kept ``GOROD_IDEMPOTENCY_TTL_HOURS`` (a periodic job purges).

Covered: every write under ``/api/`` (bearer token or session) and Open311 filing
(``POST /open311/v2/requests.json`` or ``.xml``, whose ``api_key`` is a resident's token).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.transaction import Atomic
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from gorod.accounts import sql
from gorod.accounts.auth_keys import resident_id_of
from gorod.accounts.models import ApiToken, IdempotencyRecord
from gorod.accounts.rules import token_digest

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PREFIXES = ("/api/", "/open311/")
HEADER = "Idempotency-Key"
# A claim older than this without an answer belongs to a request that died: it may be retried.
STALE_CLAIM = dt.timedelta(seconds=60)
MAX_STORED_BODY = 1024 * 1024


# Writes whose body must not be kept even as a hash: a secret ballot's choices are few enough
# to guess from one. Their retries are matched by method and path alone, and they store the
# answer their view puts in ``response.idempotency_replay`` (e.g. without a ballot receipt).
_UNKEPT_BODIES: list[re.Pattern[str]] = []


def register_unkept_body(path_pattern: str) -> None:
    """Called by an app's ``ready()`` for its secret writes (voting: the ballot)."""
    _UNKEPT_BODIES.append(re.compile(path_pattern))


def _body_unkept(request: HttpRequest) -> bool:
    return any(pattern.match(request.path) for pattern in _UNKEPT_BODIES)


def _error(status: int, code: str, message: str, retry_after: int | None = None) -> JsonResponse:
    response = JsonResponse({"code": code, "message": message, "details": {}}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _request_hash(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.get_full_path()}\n".encode())
    if _body_unkept(request):
        return digest.hexdigest()
    if request.content_type == "multipart/form-data":
        # Uploads may exceed the in-memory body limit: hash the parsed fields and files instead.
        for name, values in sorted(request.POST.lists()):
            digest.update(f"{name}={values!r}\n".encode())
        for name, upload in sorted(request.FILES.items()):
            if not isinstance(upload, UploadedFile):
                continue
            digest.update(f"{name}:{upload.name}:{upload.size}\n".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status, content_type=record.content_type or None
    )
    response["Idempotent-Replayed"] = "true"
    return response


def _claim(resident_id: int, key: str, request: HttpRequest, request_hash: str) -> int | HttpResponse:
    """Our claim on the key (its row's id), or the answer to send instead (a replay, a refusal,
    409)."""
    for _attempt in range(2):
        claim_id = _insert_claim(resident_id, key, request, request_hash)
        if claim_id is not None:
            return claim_id
        existing = IdempotencyRecord.objects.filter(resident_id=resident_id, key=key).first()
        if existing is None:  # purged between our insert and this read: claim again
            continue
        if existing.request_hash != request_hash:
            return _error(
                422,
                "idempotency_key_reused",
                _("This Idempotency-Key was already used for a different request."),
            )
        if existing.status is not None:
            return _replay(existing)
        if timezone.now() - existing.created_at < STALE_CLAIM:
            return _error(
                409,
                "idempotency_request_in_progress",
                _("A request with this Idempotency-Key is still being processed."),
                retry_after=1,
            )
        IdempotencyRecord.objects.filter(pk=existing.pk, status__isnull=True).delete()
    return _error(409, "idempotency_request_in_progress", _("Try again."), retry_after=1)


def _insert_claim(resident_id: int, key: str, request: HttpRequest, request_hash: str) -> int | None:
    """The new claim's id, or None when the resident's key is already taken."""
    return sql.idempotency_claim(
        resident_id=resident_id,
        key=key,
        method=request.method or "",
        path=request.path[:255],
        request_hash=request_hash,
        now=timezone.now(),
    )


def _resident_of(request: HttpRequest) -> int | None:
    resident_id = resident_id_of(request)
    if resident_id is None and request.path.startswith("/open311/"):
        # Open311 clients send their token as the ``api_key`` form field, not as a header.
        plain = request.POST.get("api_key", "")
        if plain:
            resident_id = (
                ApiToken.objects.filter(digest=token_digest(plain), revoked_at__isnull=True)
                .values_list("resident_id", flat=True)
                .first()
            )
    return resident_id


def _request_transaction() -> Atomic:
    """The keyed request's own transaction, in which the services' durable blocks nest.

    Services are ``atomic(durable=True)`` so that nobody runs a business action inside a larger
    transaction of theirs by mistake. This block is the one deliberate exception: it adds only
    the key's claim and stored answer to the action's commit. Django lets a durable block nest
    only inside a test case's block, so this one is marked like one."""
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined]
    return block


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER, "").strip()
        if not key or request.method not in WRITE_METHODS or not request.path.startswith(PREFIXES):
            return self.get_response(request)
        if len(key) > 255:
            return _error(422, "idempotency_key_invalid", _("The Idempotency-Key is too long (255 at most)."))
        resident_id = _resident_of(request)
        if resident_id is None:  # not signed in: the view answers 401 and nothing can be replayed
            return self.get_response(request)
        request_hash = _request_hash(request)
        with _request_transaction():
            claim = _claim(resident_id, key, request, request_hash)
            if isinstance(claim, HttpResponse):
                return claim
            response = self.get_response(request)
            body = getattr(response, "content", b"") if not response.streaming else b""
            if _body_unkept(request):
                # a refusal is kept as it is; a success only as its view chose to be replayed
                body = getattr(response, "idempotency_replay", body if response.status_code >= 400 else b"")
            if response.status_code >= 500:
                # Not done: nothing of it stays, and a retry acts.
                transaction.set_rollback(True)
                return response
            if len(body) > MAX_STORED_BODY or response.streaming:
                # Done, but the answer is too big to keep: free the key (a retry would act again).
                IdempotencyRecord.objects.filter(pk=claim).delete()
                return response
            sql.idempotency_answer(claim, response.status_code, response.get("Content-Type", ""), body)
        return response


def idempotency_records_purge() -> int:
    """Forget keys older than the replay window (a periodic job)."""
    cutoff = timezone.now() - dt.timedelta(hours=settings.GOROD_IDEMPOTENCY_TTL_HOURS)
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted

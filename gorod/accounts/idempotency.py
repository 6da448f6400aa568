"""``Idempotency-Key`` for state-changing API calls: a client that did not get an answer (a
timeout, a restart of the database or of the app) retries with the same key and gets the first
answer back, without the action happening twice.

The key is claimed (a row, unique per resident and key) before the view runs, so that two
concurrent calls with one key cannot both act: the second gets 409 until the first finishes.
The answer (status below 500) is stored after the view; a 5xx or a crash frees the key for a
retry. The same key with another method, path or body is refused with 422
``idempotency_key_reused``. Keys are kept ``GOROD_IDEMPOTENCY_TTL_HOURS`` (a periodic job purges).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from gorod.accounts.auth_keys import resident_id_of
from gorod.accounts.models import IdempotencyRecord

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
HEADER = "Idempotency-Key"
# A claim older than this without an answer belongs to a request that died: it may be retried.
STALE_CLAIM = dt.timedelta(seconds=60)
MAX_STORED_BODY = 1024 * 1024


def _error(status: int, code: str, message: str, retry_after: int | None = None) -> JsonResponse:
    response = JsonResponse({"code": code, "message": message, "details": {}}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _request_hash(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.get_full_path()}\n".encode())
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


def _claim(
    resident_id: int, key: str, request: HttpRequest, request_hash: str
) -> IdempotencyRecord | HttpResponse:
    """Our claim on the key, or the answer to send instead (a replay, a refusal, 409)."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    resident_id=resident_id,
                    key=key,
                    method=request.method or "",
                    path=request.path[:255],
                    request_hash=request_hash,
                )
        except IntegrityError:
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


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER, "").strip()
        if not key or request.method not in WRITE_METHODS or not request.path.startswith("/api/"):
            return self.get_response(request)
        if len(key) > 255:
            return _error(422, "idempotency_key_invalid", _("The Idempotency-Key is too long (255 at most)."))
        resident_id = resident_id_of(request)
        if resident_id is None:  # not signed in: the view answers 401 and nothing can be replayed
            return self.get_response(request)
        claim = _claim(resident_id, key, request, _request_hash(request))
        if isinstance(claim, HttpResponse):
            return claim
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyRecord.objects.filter(pk=claim.pk).delete()
            raise
        body = getattr(response, "content", b"") if not response.streaming else b""
        if response.status_code >= 500 or len(body) > MAX_STORED_BODY or response.streaming:
            IdempotencyRecord.objects.filter(pk=claim.pk).delete()
            return response
        IdempotencyRecord.objects.filter(pk=claim.pk).update(
            status=response.status_code, content_type=response.get("Content-Type", ""), body=body
        )
        return response


def idempotency_records_purge() -> int:
    """Forget keys older than the replay window (a periodic job)."""
    cutoff = timezone.now() - dt.timedelta(hours=settings.GOROD_IDEMPOTENCY_TTL_HOURS)
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted

"""Pure rules of public discussions: the comment window, a comment's text, a document's content
(checked by what it is, not by its name). No database here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from gorod.core.images import ImageTooLarge, NotAnImage, clean_image
from gorod.voting.discussions import errors
from gorod.voting.discussions.models import Discussion

# The window, as a pure rule: before, during or after.
UPCOMING, OPEN, FINISHED = "upcoming", "open", "finished"


COMMENT_MAX = 2000


RESPONSE_MAX = 4000


DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}


def phase_of(discussion: Discussion, now: dt.datetime) -> str:
    if now < discussion.opens_at:
        return UPCOMING
    return OPEN if now < discussion.closes_at else FINISHED


def clean_comment(text: str) -> str:
    """The text as stored: stripped, not empty, not too long. Contacts in it are masked where the
    public reads it (``selectors_discussions``); the author and moderators see what was written."""
    stripped = (text or "").strip()
    if not stripped:
        raise errors.CommentEmpty(field="text")
    if len(stripped) > COMMENT_MAX:
        raise errors.CommentTooLong(field="text", maximum=COMMENT_MAX)
    return stripped


@dataclass(frozen=True)
class CheckedDocument:
    title: str
    content: bytes
    content_type: str
    extension: str


def check_document(upload: IO[bytes], *, title: str, size: int | None = None) -> CheckedDocument:
    """A PDF (by its header) or a JPEG/PNG (decoded by Pillow); never judged by name or type."""
    raw = upload.read(DOCUMENT_MAX_BYTES + 1)
    if len(raw) > DOCUMENT_MAX_BYTES or (size is not None and size > DOCUMENT_MAX_BYTES):
        raise errors.DocumentTooLarge(field="documents", maximum_mb=DOCUMENT_MAX_BYTES // (1024 * 1024))
    name = (title or "").strip()[:200] or _("Project document")
    if raw.startswith(b"%PDF-") and b"%%EOF" in raw[-2048:]:
        return CheckedDocument(title=name, content=raw, content_type="application/pdf", extension="pdf")
    try:  # an image: the shared policy re-encodes it without EXIF or GPS
        image = clean_image(raw, field="documents", max_bytes=DOCUMENT_MAX_BYTES)
    except (NotAnImage, ImageTooLarge):
        raise errors.DocumentInvalid(field="documents") from None
    if image.content_type not in {content_type for content_type, _ext in IMAGE_FORMATS.values()}:
        raise errors.DocumentInvalid(field="documents")
    return CheckedDocument(
        title=name, content=image.content, content_type=image.content_type, extension=image.extension
    )

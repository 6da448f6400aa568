"""Report photos under the shared image policy (gorod.core.images: checked by content, pixel
count bounded, GPS read for the report then stripped with all metadata). Files are written only
by ``store`` (called inside the report's transaction) and removed again by ``discard`` if that
transaction fails, so a refused report leaves no files behind.
"""

from __future__ import annotations

import uuid
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from gorod.core import images
from gorod.core.images import CleanImage, ImageTooLarge, clean_image
from gorod.problems import rules
from gorod.problems.errors import NotAnImage, PhotoRequired, PhotoTooLarge, TooManyPhotos

CleanPhoto = CleanImage


def check_photo(upload: IO[bytes], *, size: int | None = None) -> CleanImage:
    """The shared image policy (gorod.core.images) with Our City's limits and error codes."""
    try:
        return clean_image(
            upload,
            field="photos",
            max_bytes=rules.MAX_PHOTO_BYTES,
            max_pixels=rules.MAX_PHOTO_PIXELS,
            size=size,
        )
    except ImageTooLarge:
        raise PhotoTooLarge(field="photos", maximum_mb=rules.MAX_PHOTO_BYTES // (1024 * 1024)) from None
    except images.NotAnImage:
        raise NotAnImage(field="photos") from None


def check_photos(uploads: list[Any], *, required: bool) -> list[CleanImage]:
    """Check every upload before anything is stored; refuse the lot if one is bad."""
    if len(uploads) > rules.MAX_PHOTOS:
        raise TooManyPhotos(field="photos", maximum=rules.MAX_PHOTOS)
    if required and not uploads:
        raise PhotoRequired(field="photos")
    return [check_photo(upload, size=getattr(upload, "size", None)) for upload in uploads]


def store(photo: CleanImage, *, written: list[str]) -> str:
    """Write the cleaned photo under MEDIA_ROOT; the name goes to ``written`` for cleanup."""
    day = timezone.now()
    name = f"problems/{day:%Y/%m}/{uuid.uuid4().hex}.{photo.extension}"
    saved = default_storage.save(name, ContentFile(photo.content))
    written.append(saved)
    return saved


def discard(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)

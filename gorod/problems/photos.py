"""Report photos under the shared image policy (gorod.core.images: checked by content, pixel
count bounded, GPS read for the report then stripped with all metadata). Files are written by
``gorod.core.images.store_image`` inside the report's transaction and removed again if it fails.
"""

from __future__ import annotations

from typing import IO, Any

from gorod.core import images
from gorod.core.images import CleanImage, ImageTooLarge, clean_image
from gorod.problems import rules
from gorod.problems.errors import NotAnImage, PhotoRequired, PhotoTooLarge, TooManyPhotos
from gorod.problems.models import Answer, Photo, Report

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


def attach(
    checked: list[CleanImage], *, report: Report, written: list[str], answer: Answer | None = None
) -> None:
    """Store the checked photos and their rows (inside the report's or the answer's transaction,
    under ``gorod.core.images.kept_only_if_committed``); the GPS position the camera recorded is
    kept on the row, never in the file."""
    for photo in checked:
        Photo.objects.create(
            report=report,
            answer=answer,
            file=images.store_image(photo, folder="problems/%Y/%m", written=written),
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
            size=len(photo.content),
            taken_latitude=photo.latitude,
            taken_longitude=photo.longitude,
        )

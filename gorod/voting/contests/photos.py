"""Contest photos under the shared image policy (gorod.core.images: checked by content, pixel
count bounded, re-encoded without metadata, since EXIF can hold the place where a resident
lives), written under MEDIA_ROOT (``gorod.core.images.store_image``) only inside the entry's
transaction and deleted again if it fails."""

from __future__ import annotations

from typing import IO

from gorod.core.images import CleanImage, ImageTooLarge, NotAnImage, clean_image
from gorod.voting.contests import errors

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
FOLDER = "contests/%Y/%m"


def check_photo(upload: IO[bytes], *, size: int | None = None) -> CleanImage:
    """The shared image policy (gorod.core.images) with the contests' limits and error codes."""
    try:
        return clean_image(
            upload, field="photo", max_bytes=MAX_PHOTO_BYTES, max_pixels=MAX_PHOTO_PIXELS, size=size
        )
    except ImageTooLarge:
        raise errors.PhotoTooLarge(field="photo", maximum_mb=MAX_PHOTO_BYTES // (1024 * 1024)) from None
    except NotAnImage:
        raise errors.NotAnImage(field="photo") from None

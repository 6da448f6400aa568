"""Contest photos are checked by their content: Pillow must decode them as JPEG, PNG or WebP
within a size and pixel limit. They are re-encoded without metadata (EXIF can hold the place
where a resident lives), written under MEDIA_ROOT only inside the entry's transaction and
deleted again if it fails."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from gorod.voting import errors_contests as errors

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def check_photo(upload: IO[bytes], *, size: int | None = None) -> CleanPhoto:
    raw = upload.read(MAX_PHOTO_BYTES + 1)
    if len(raw) > MAX_PHOTO_BYTES or (size is not None and size > MAX_PHOTO_BYTES):
        raise errors.PhotoTooLarge(field="photo", maximum_mb=MAX_PHOTO_BYTES // (1024 * 1024))
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            image_format = probe.format or ""
            if image_format not in FORMATS or probe.width * probe.height > MAX_PHOTO_PIXELS:
                raise errors.NotAnImage(field="photo")
            probe.verify()
        image: Image.Image = Image.open(io.BytesIO(raw))
        image = ImageOps.exif_transpose(image)  # keep the orientation the camera recorded
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise errors.NotAnImage(field="photo") from None
    out = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=88, optimize=True)
    elif image_format == "PNG":
        image.save(out, format="PNG", optimize=True)
    else:
        image.save(out, format="WEBP", quality=88)
    content_type, extension = FORMATS[image_format]
    return CleanPhoto(
        content=out.getvalue(),
        content_type=content_type,
        extension=extension,
        width=image.width,
        height=image.height,
    )


def store(photo: CleanPhoto, *, written: list[str]) -> str:
    name = default_storage.save(
        f"contests/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{photo.extension}", ContentFile(photo.content)
    )
    written.append(name)
    return name


def discard(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)

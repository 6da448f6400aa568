"""Photo checks by content (not by name or declared type), GPS read, EXIF stripped.

Pillow is the only dependency added for this: it decodes the image to prove it is one, reads
the EXIF GPS block, and re-encodes the pixels without any metadata. Files are written only
by ``store`` (called inside the report's transaction) and removed again by ``discard`` if that
transaction fails, so a refused report leaves no files behind.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from gorod.problems import rules
from gorod.problems.errors import NotAnImage, PhotoRequired, PhotoTooLarge, TooManyPhotos

Image.MAX_IMAGE_PIXELS = rules.MAX_PHOTO_PIXELS
GPS_IFD = 0x8825


@dataclass(frozen=True)
class CleanPhoto:
    """A checked photo, re-encoded without metadata, not yet written anywhere."""

    content: bytes
    content_type: str
    extension: str
    width: int
    height: int
    latitude: Decimal | None
    longitude: Decimal | None


def _rational(value: Any) -> Decimal:
    try:
        return Decimal(str(float(value)))  # EXIF rationals; a coordinate, not an amount
    except (TypeError, ValueError, ZeroDivisionError):
        return Decimal(0)


def _degrees(dms: Any, ref: Any) -> Decimal | None:
    try:
        degrees, minutes, seconds = (_rational(part) for part in dms)
    except (TypeError, ValueError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if str(ref).upper() in {"S", "W"}:
        value = -value
    return value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN)


def gps_of(image: Image.Image) -> tuple[Decimal | None, Decimal | None]:
    """The (latitude, longitude) where the photo was taken, if the camera recorded it."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
    except Exception:  # a broken EXIF block is not a reason to refuse the photo
        return None, None
    if not gps or 2 not in gps or 4 not in gps:
        return None, None
    latitude = _degrees(gps[2], gps.get(1, "N"))
    longitude = _degrees(gps[4], gps.get(3, "E"))
    if latitude is None or longitude is None or abs(latitude) > 90 or abs(longitude) > 180:
        return None, None
    return latitude, longitude


def check_photo(upload: IO[bytes], *, size: int | None = None) -> CleanPhoto:
    """Prove the upload is a JPEG/PNG/WebP within limits; return it without metadata."""
    raw = upload.read(rules.MAX_PHOTO_BYTES + 1)
    if len(raw) > rules.MAX_PHOTO_BYTES or (size is not None and size > rules.MAX_PHOTO_BYTES):
        raise PhotoTooLarge(field="photos", maximum_mb=rules.MAX_PHOTO_BYTES // (1024 * 1024))
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            probe.verify()
        image: Image.Image = Image.open(io.BytesIO(raw))
        image_format = image.format or ""
        if image_format not in rules.PHOTO_FORMATS:
            raise NotAnImage(field="photos")
        latitude, longitude = gps_of(image)
        image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF asked for
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise NotAnImage(field="photos") from None
    out = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=88, optimize=True)
    elif image_format == "PNG":
        image.save(out, format="PNG", optimize=True)
    else:
        image.save(out, format="WEBP", quality=88)
    return CleanPhoto(
        content=out.getvalue(),
        content_type=rules.PHOTO_FORMATS[image_format],
        extension={"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format],
        width=image.width,
        height=image.height,
        latitude=latitude,
        longitude=longitude,
    )


def check_photos(uploads: list[Any], *, required: bool) -> list[CleanPhoto]:
    """Check every upload before anything is stored; refuse the lot if one is bad."""
    if len(uploads) > rules.MAX_PHOTOS:
        raise TooManyPhotos(field="photos", maximum=rules.MAX_PHOTOS)
    if required and not uploads:
        raise PhotoRequired(field="photos")
    return [check_photo(upload, size=getattr(upload, "size", None)) for upload in uploads]


def store(photo: CleanPhoto, *, written: list[str]) -> str:
    """Write the cleaned photo under MEDIA_ROOT; the name goes to ``written`` for cleanup."""
    day = timezone.now()
    name = f"problems/{day:%Y/%m}/{uuid.uuid4().hex}.{photo.extension}"
    saved = default_storage.save(name, ContentFile(photo.content))
    written.append(saved)
    return saved


def discard(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)

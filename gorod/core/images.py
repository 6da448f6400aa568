"""One policy for every uploaded image (report photos, contest entries, pet photos, discussion
documents, stories, news, rewards, polls, decisions).

An upload is judged by its content, never by its name or declared type: Pillow must recognise
it as JPEG, PNG or WebP; its pixel count is bounded from the header *before* any pixel is
decoded (a 30,000 x 30,000 PNG is a few kilobytes on the wire and 3.6 GB in memory); it is
decoded whole (a truncated file is refused) and re-encoded from the pixels alone, so EXIF, GPS
coordinates, XMP and comments never reach the disk. The orientation the camera recorded is
applied to the pixels first, so the stored image looks as the resident saw it.

Services call ``clean_image`` before their transaction, then write with ``store_image`` inside
``kept_only_if_committed`` (a refused or failed action leaves no file behind); model fields holding
images use ``ImageUploadField`` (whose form field runs the same policy, so the console's uploads
are cleaned too).
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import IO, Any

from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from gorod.core.errors import InvalidInput

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel camera; about 160 MB decoded
# (content type, file extension) per format Pillow reports.
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
GPS_IFD = 0x8825

# Pillow's own bomb guard, for any image opened elsewhere: refuse (not warn) past our bound.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


class NotAnImage(InvalidInput):
    code = "not_an_image"
    message = _("The file is not a JPEG, PNG or WebP image.")
    status = 415  # not a photo the platform reads (Unsupported Media Type)


class ImageTooLarge(InvalidInput):
    code = "image_too_large"
    message = _("An image may be at most %(maximum_mb)s MB.")


class ImageTooManyPixels(InvalidInput):
    code = "image_too_many_pixels"
    message = _("The image has %(megapixels)s megapixels; at most %(maximum_megapixels)s are accepted.")


@dataclass(frozen=True)
class CleanImage:
    """A checked image, re-encoded without metadata, not yet written anywhere. The GPS position
    the camera recorded (if any) is returned to the caller, never stored in the file."""

    content: bytes
    content_type: str
    extension: str
    width: int
    height: int
    latitude: Decimal | None = None
    longitude: Decimal | None = None


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


def read_bounded(upload: IO[bytes] | bytes, *, max_bytes: int, field: str, size: int | None = None) -> bytes:
    """The upload's bytes, refused past ``max_bytes`` without reading more than one byte past it."""
    raw = upload if isinstance(upload, bytes) else upload.read(max_bytes + 1)
    if len(raw) > max_bytes or (size is not None and size > max_bytes):
        raise ImageTooLarge(field=field, maximum_mb=max_bytes // (1024 * 1024))
    return raw


def clean_image(
    upload: IO[bytes] | bytes,
    *,
    field: str = "image",
    max_bytes: int = MAX_IMAGE_BYTES,
    max_pixels: int = MAX_IMAGE_PIXELS,
    size: int | None = None,
) -> CleanImage:
    """Prove the upload is a JPEG/PNG/WebP within limits and return it re-encoded, metadata-free."""
    raw = read_bounded(upload, max_bytes=max_bytes, field=field, size=size)
    try:
        with Image.open(io.BytesIO(raw)) as probe:  # reads the header only
            image_format = probe.format or ""
            width, height = probe.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise NotAnImage(field=field) from None
    except Image.DecompressionBombError as bomb:
        # Pillow refuses far past the bound at open; its message holds the pixel count.
        found = re.search(r"\((\d+) pixels\)", str(bomb))
        raise _too_many_pixels(int(found.group(1)) if found else 0, max_pixels, field) from None
    if image_format not in FORMATS:
        raise NotAnImage(field=field)
    if width * height > max_pixels:
        raise _too_many_pixels(width * height, max_pixels, field)
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            probe.verify()
        image: Image.Image = Image.open(io.BytesIO(raw))
        latitude, longitude = gps_of(image)
        image = ImageOps.exif_transpose(image)  # keep the orientation the camera recorded
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise NotAnImage(field=field) from None
    content_type, extension = FORMATS[image_format]
    return CleanImage(
        content=_encode(image, image_format),
        content_type=content_type,
        extension=extension,
        width=image.width,
        height=image.height,
        latitude=latitude,
        longitude=longitude,
    )


def store_image(image: CleanImage, *, folder: str, written: list[str]) -> str:
    """Write a cleaned image under MEDIA_ROOT in ``folder`` (strftime codes allowed, as in
    ``upload_to``) under a random name; the stored name is added to ``written`` so that
    ``kept_only_if_committed`` can remove it if the action fails after all."""
    name = default_storage.save(
        f"{timezone.now().strftime(folder)}/{uuid.uuid4().hex}.{image.extension}", ContentFile(image.content)
    )
    written.append(name)
    return name


@contextmanager
def kept_only_if_committed() -> Iterator[list[str]]:
    """Around an action's transaction: the files it stored (the list it yields) are deleted again
    if the block raises, since a rolled-back row must not leave its photo on the disk."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


def _too_many_pixels(pixels: int, max_pixels: int, field: str) -> ImageTooManyPixels:
    return ImageTooManyPixels(
        field=field,
        megapixels=round(pixels / 1_000_000) if pixels else "?",
        maximum_megapixels=max_pixels // 1_000_000,
    )


def _encode(image: Image.Image, image_format: str) -> bytes:
    """The pixels alone: no ``exif``, ``xmp`` or comment is passed to the encoder."""
    out = io.BytesIO()
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info)
    if image_format == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=88, optimize=True)
    elif image_format == "PNG":
        if image.mode not in {"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"}:
            image = image.convert("RGBA" if has_alpha else "RGB")
        image.save(out, format="PNG", optimize=True)
    else:
        image.convert("RGBA" if has_alpha else "RGB").save(out, format="WEBP", quality=88)
    return out.getvalue()


class ImageUploadFormField(forms.FileField):
    """A form's image upload under the policy: what the form hands on is the re-encoded image
    (under a random name), never the uploaded bytes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if value is None or value is False or value is initial or not hasattr(value, "read"):
            return value
        if getattr(value, "_committed", False):  # the file already stored: nothing uploaded now
            return value
        try:
            clean = clean_image(value, field="image", size=getattr(value, "size", None))
        except InvalidInput as error:
            raise forms.ValidationError(error.text, code=error.code) from None
        return SimpleUploadedFile(f"{uuid.uuid4().hex}.{clean.extension}", clean.content, clean.content_type)


class ImageUploadField(models.FileField):
    """A model's image file, uploaded under the policy (forms and the console use
    ``ImageUploadFormField``). Stored as a plain ``FileField``: the column and migrations are
    Django's own, the policy is in how files get here."""

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return super().formfield(**{"form_class": ImageUploadFormField, **kwargs})

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs

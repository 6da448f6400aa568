from __future__ import annotations

import io

import factory
from PIL import Image

from gorod.problems.models import Organisation, OrganisationResponder, Topic, TopicGroup


class TopicGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicGroup
        django_get_or_create = ("code",)

    code = "my-yard"
    name = "My yard"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("code",)

    group = factory.SubFactory(TopicGroupFactory)
    code = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")
    season = "all_year"
    photo_required = False
    deadline_days = 8


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")


def responder_of(organisation: Organisation, resident: object) -> OrganisationResponder:
    return OrganisationResponder.objects.create(organisation=organisation, resident=resident)


def _gps_exif(lat: float, lon: float) -> Image.Exif:
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)

    def dms(value: float) -> tuple[float, float, float]:
        degrees = int(value)
        minutes_full = (value - degrees) * 60
        minutes = int(minutes_full)
        return (float(degrees), float(minutes), round((minutes_full - minutes) * 60, 4))

    gps[1] = "N"
    gps[2] = dms(lat)
    gps[3] = "E"
    gps[4] = dms(lon)
    exif[0x010F] = "TestCam"  # Make: must not survive
    return exif


def jpeg_bytes(*, gps: tuple[float, float] | None = None, size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (120, 160, 200))
    out = io.BytesIO()
    if gps:
        image.save(out, format="JPEG", exif=_gps_exif(*gps))
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), (0, 0, 0)).save(out, format="PNG")
    return out.getvalue()

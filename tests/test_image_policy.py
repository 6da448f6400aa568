"""Issue 25: every upload path (console image fields, pets, reports, contests, discussion
documents) runs the shared image policy of gorod/core/images.py."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from gorod.core import images
from gorod.core.errors import InvalidInput
from gorod.core.tests.test_images import assert_no_metadata, gps_jpeg, huge_png


def image_fields() -> list[str]:
    from django.apps import apps

    return sorted(
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, images.ImageUploadField)
    )


@pytest.mark.parametrize("name", image_fields())
def test_every_console_image_field_stores_a_phone_photo_without_gps(name):
    """News and story images, reward and partner pictures, poll and decision photos: whatever
    the operator uploads through the console is the re-encoded image, never the phone's file."""
    from django.apps import apps

    label, field_name = name.rsplit(".", 1)
    field = apps.get_model(label)._meta.get_field(field_name).formfield()
    cleaned = field.clean(SimpleUploadedFile("home.jpg", gps_jpeg(), content_type="image/jpeg"))
    assert_no_metadata(cleaned.read())
    with pytest.raises(Exception) as refused:
        field.clean(SimpleUploadedFile("notes.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg"))
    assert getattr(refused.value, "code", "") == "not_an_image"


def test_console_upload_of_an_image_field_is_cleaned_and_a_bomb_refused():
    from gorod.news.models import Story

    field = Story._meta.get_field("image").formfield()
    upload = SimpleUploadedFile("home.jpg", gps_jpeg(), content_type="image/jpeg")
    cleaned = field.clean(upload)
    assert cleaned.name.endswith(".jpg") and cleaned.name != "home.jpg"
    assert_no_metadata(cleaned.read())
    with pytest.raises(Exception) as refused:
        field.clean(SimpleUploadedFile("bomb.png", huge_png(), content_type="image/png"))
    assert "megapixels" in str(refused.value)


@pytest.mark.django_db
def test_pet_photos_are_re_encoded_and_a_bomb_is_refused(resident):
    from gorod.accounts.tests.factories import DistrictFactory
    from gorod.pets.models import PetNotice, PetPhoto
    from gorod.pets.tests.conftest import post_notice

    DistrictFactory()
    with pytest.raises(images.ImageTooManyPixels):
        post_notice(resident, photos=[SimpleUploadedFile("cat.png", huge_png(), content_type="image/png")])
    assert not PetNotice.objects.exists() and not PetPhoto.objects.exists()
    notice = post_notice(resident, photos=[SimpleUploadedFile("cat.jpg", gps_jpeg())])
    stored = notice.photos.get().file
    with default_storage.open(stored.name) as handle:
        assert_no_metadata(handle.read())


@pytest.mark.parametrize("module", ["gorod.problems.photos", "gorod.voting.contests.photos"])
def test_report_and_contest_photos_refuse_a_bomb_and_lose_their_gps(module):
    import importlib

    checker = importlib.import_module(module)
    with pytest.raises(images.ImageTooManyPixels):
        checker.check_photo(io.BytesIO(huge_png()))
    assert_no_metadata(checker.check_photo(io.BytesIO(gps_jpeg())).content)


def test_discussion_image_documents_lose_their_gps():
    from gorod.voting.discussions.rules import check_document

    document = check_document(io.BytesIO(gps_jpeg()), title="Plan")
    assert_no_metadata(document.content)
    with pytest.raises(InvalidInput):
        check_document(io.BytesIO(huge_png()), title="Bomb")

"""Issue 26: pet photos through the API (they were web-only): a notice filed as JSON takes its photos
by multipart while it awaits moderation, under the site's image policy, limit and error codes."""

from __future__ import annotations

import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from gorod.accounts import services as accounts
from gorod.accounts.tests.factories import ResidentFactory
from gorod.core.tests.test_images import assert_no_metadata, gps_jpeg, huge_png
from gorod.pets import services
from gorod.pets.models import PetPhoto
from gorod.pets.tests.conftest import PNG

pytestmark = pytest.mark.django_db


def _file(name: str = "cat.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.fixture
def notice_id(api_client, district):
    body = {
        "kind": "lost",
        "animal": "cat",
        "description": "Grey cat",
        "latitude": 55.75,
        "longitude": 37.6,
        "seen_at": timezone.now().isoformat(),
    }
    created = api_client.post("/api/v1/pets/notices", json.dumps(body), content_type="application/json")
    assert created.status_code == 201
    return created.json()["id"]


def _upload(client, notice_id, *files):
    return client.post(f"/api/v1/pets/notices/{notice_id}/photos", {"photos": list(files)})


def test_photos_added_through_the_api_lose_their_gps_and_are_served_to_the_author(api_client, notice_id):
    answer = _upload(api_client, notice_id, _file("home.jpg", gps_jpeg()), _file())
    assert answer.status_code == 201
    urls = answer.json()["photo_urls"]
    assert len(urls) == 2 and PetPhoto.objects.filter(notice_id=notice_id).count() == 2
    for photo in PetPhoto.objects.filter(notice_id=notice_id):
        with default_storage.open(photo.file.name) as handle:
            assert_no_metadata(handle.read())
    assert api_client.get(f"/api/v1/pets/notices/{notice_id}").json()["photo_urls"] == urls
    # a third fits the limit of three; a fourth does not, and nothing is stored
    assert _upload(api_client, notice_id, _file()).status_code == 201
    over = _upload(api_client, notice_id, _file())
    assert over.status_code == 422 and over.json()["code"] == "pet_bad_photo"
    assert PetPhoto.objects.filter(notice_id=notice_id).count() == 3


@pytest.mark.parametrize(
    "files,status,code",
    [
        (lambda: [_file("bomb.png", huge_png())], 422, "image_too_many_pixels"),
        (lambda: [_file(), _file("notes.png", b"not an image at all")], 422, "pet_bad_photo"),
        (lambda: [_file(), _file(), _file(), _file()], 422, "invalid_input"),
    ],
    ids=["pixel-bomb", "one-not-an-image", "four-at-once"],
)
def test_refused_uploads_store_nothing_and_say_why(api_client, notice_id, files, status, code):
    answer = _upload(api_client, notice_id, *files())
    assert (answer.status_code, answer.json()["code"]) == (status, code)
    assert not PetPhoto.objects.exists()


def test_no_photos_after_moderation_and_none_to_anothers_notice(api_client, notice_id, moderator):
    stranger = ResidentFactory(level="standard")
    _token, plain = accounts.api_token_issue(resident=stranger, name="tests")
    other = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    # a pending notice is the author's and the moderators' only: to anyone else it does not exist
    assert _upload(other, notice_id, _file()).status_code == 404
    services.notice_moderate(notice_id=notice_id, moderator=moderator, approve=True)
    late = _upload(api_client, notice_id, _file())
    assert late.status_code == 409 and late.json()["code"] == "pet_photos_after_moderation"
    mod_token = accounts.api_token_issue(resident=moderator, name="tests")[1]
    not_author = _upload(Client(HTTP_AUTHORIZATION=f"Bearer {mod_token}"), notice_id, _file())
    assert not_author.status_code == 403 and not_author.json()["code"] == "pet_not_your_notice"
    assert Client().post(f"/api/v1/pets/notices/{notice_id}/photos", {"photos": [_file()]}).status_code == 401
    assert not PetPhoto.objects.exists()


def test_no_photo_at_all_is_refused(api_client, notice_id):
    answer = api_client.post(f"/api/v1/pets/notices/{notice_id}/photos", {})
    assert answer.status_code == 422 and not PetPhoto.objects.exists()

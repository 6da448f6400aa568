from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gorod.accounts.tests.factories import ResidentFactory
from gorod.core.errors import InvalidInput
from gorod.notifications.models import Notification
from gorod.pets import selectors, services
from gorod.pets.errors import (
    AlreadyModerated,
    BadPhoto,
    BadSeenAt,
    EmptyText,
    NoticeNotOpen,
    NotModerator,
    NotYourNotice,
    OutsideCity,
)
from gorod.pets.models import NoticeStatus, PetMessage, PetNotice, PetPhoto
from gorod.pets.tests.conftest import PNG, post_notice, published

pytestmark = pytest.mark.django_db


def test_notice_is_pending_and_masked(district, resident):
    notice = post_notice(resident, text="Grey cat, call 8 916 123 45 67 or cat@owner.ru")
    assert notice.status == NoticeStatus.PENDING and notice.district == district
    assert "916" not in notice.description and "owner.ru" not in notice.description


def test_notice_outside_the_city_is_refused_and_nothing_stored(district, resident):
    with pytest.raises(OutsideCity) as info:
        post_notice(resident, lat="59.9386", lon="30.3141")  # St Petersburg
    assert info.value.code == "pet_outside_city"
    assert not PetNotice.objects.exists()


@pytest.mark.parametrize("field,value", [("kind", "stolen"), ("animal", "dragon")])
def test_unknown_choices_are_refused(district, resident, field, value):
    with pytest.raises(InvalidInput):
        post_notice(resident, **{field: value})
    assert not PetNotice.objects.exists()


def test_future_or_ancient_time_and_empty_text_are_refused(district, resident):
    with pytest.raises(BadSeenAt):
        post_notice(resident, days_ago=-2)
    with pytest.raises(BadSeenAt):
        post_notice(resident, days_ago=400)
    with pytest.raises(EmptyText):
        post_notice(resident, text="   ")
    assert not PetNotice.objects.exists()


def test_photos_checked_by_content(district, resident):
    good = SimpleUploadedFile("cat.png", PNG, content_type="image/png")
    notice = post_notice(resident, photos=[good])
    assert notice.photos.get().content_type == "image/png"
    fake = SimpleUploadedFile("cat.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    with pytest.raises(BadPhoto):
        post_notice(resident, photos=[fake])
    too_many = [SimpleUploadedFile(f"{n}.png", PNG) for n in range(4)]
    with pytest.raises(BadPhoto):
        post_notice(resident, photos=too_many)
    assert PetNotice.objects.count() == 1 and PetPhoto.objects.count() == 1


def test_pending_photo_is_private(client, district, resident):
    notice = post_notice(resident, photos=[SimpleUploadedFile("c.png", PNG)])
    url = reverse("pets:photo", args=[notice.photos.get().pk])
    assert client.get(url).status_code == 404
    client.force_login(resident)
    assert client.get(url).status_code == 200


def test_moderation_only_by_moderators_and_once(district, resident, moderator):
    notice = post_notice(resident)
    with pytest.raises(NotModerator):
        services.notice_moderate(notice_id=notice.pk, moderator=resident, approve=True)
    with pytest.raises(EmptyText):
        services.notice_moderate(notice_id=notice.pk, moderator=moderator, approve=False)
    assert PetNotice.objects.get().status == NoticeStatus.PENDING
    services.notice_moderate(notice_id=notice.pk, moderator=moderator, approve=False, reason="Not a pet")
    with pytest.raises(AlreadyModerated):
        services.notice_moderate(notice_id=notice.pk, moderator=moderator, approve=True)
    assert PetNotice.objects.get().status == NoticeStatus.REJECTED


def test_found_nearby_is_suggested_and_its_owner_notified_once(district, resident, moderator):
    lost = published(resident, moderator, kind="lost", days_ago=3)
    finder = ResidentFactory()
    near = published(finder, moderator, kind="found", lat="55.7530", lon="37.6050", days_ago=1)
    published(finder, moderator, kind="found", animal="dog", lat="55.7510", lon="37.6010")  # other animal
    published(finder, moderator, kind="found", lat="55.7800", lon="37.6000")  # about 3.3 km away
    published(finder, moderator, kind="found", lat="55.7505", lon="37.6005", days_ago=3 + 15 + 0.1 - 15)
    old_lost = published(resident, moderator, kind="lost", lat="55.7300", lon="37.6000", days_ago=40)
    suggestions = selectors.suggestions(lost)
    assert [s.notice.pk for s in suggestions][-1] == near.pk or near.pk in [s.notice.pk for s in suggestions]
    assert all(s.notice.animal == "cat" and s.distance_m <= 2000 for s in suggestions)
    assert selectors.suggestions(old_lost) == []
    assert (
        Notification.objects.filter(
            resident=resident, kind="pet_match", event_key=f"pet_match:{lost.pk}:{near.pk}"
        ).count()
        == 1
    )


def test_window_is_fourteen_days(district, resident, moderator):
    lost = published(resident, moderator, kind="lost", days_ago=20)
    published(ResidentFactory(), moderator, kind="found", days_ago=5)  # 15 days later
    inside = published(ResidentFactory(), moderator, kind="found", days_ago=7)  # 13 days later
    assert [s.notice.pk for s in selectors.suggestions(lost)] == [inside.pk]


def test_closing_by_author_only(district, resident, moderator):
    notice = published(resident, moderator)
    with pytest.raises(NotYourNotice):
        services.notice_close(notice_id=notice.pk, actor=ResidentFactory())
    assert PetNotice.objects.get().status == NoticeStatus.PUBLISHED
    services.notice_close(notice_id=notice.pk, actor=resident)
    with pytest.raises(NoticeNotOpen):
        services.notice_close(notice_id=notice.pk, actor=resident)
    assert PetNotice.objects.get().status == NoticeStatus.CLOSED


def test_messages_through_the_site_masked_and_notified(district, resident, moderator):
    notice = published(resident, moderator)
    finder = ResidentFactory()
    services.message_send(notice_id=notice.pk, sender=finder, body="I have her! +7 999 000-11-22")
    message = PetMessage.objects.get()
    assert message.recipient == resident and "999" not in message.body
    assert Notification.objects.filter(resident=resident, kind="pet_message").count() == 1
    services.message_send(notice_id=notice.pk, sender=resident, body="Thank you!", recipient_id=finder.pk)
    assert Notification.objects.filter(resident=finder, kind="pet_message").count() == 1
    stranger = ResidentFactory()
    with pytest.raises(NotYourNotice):
        services.message_send(notice_id=notice.pk, sender=resident, body="hi", recipient_id=stranger.pk)
    with pytest.raises(EmptyText):
        services.message_send(notice_id=notice.pk, sender=finder, body="  ")
    assert PetMessage.objects.count() == 2


def test_no_messages_to_pending_notice(district, resident):
    notice = post_notice(resident)
    with pytest.raises(NoticeNotOpen):
        services.message_send(notice_id=notice.pk, sender=ResidentFactory(), body="hello")
    assert not PetMessage.objects.exists()


def test_search_by_kind_area_date_and_query_count(
    client, district, resident, moderator, django_assert_max_num_queries
):
    for n in range(6):
        published(resident, moderator, kind="found" if n % 2 else "lost", days_ago=n + 1)
    post_notice(resident)  # pending: never listed
    assert selectors.search(kind="found").count() == 3
    assert selectors.search(district_id=district.pk).count() == 6
    since = (timezone.now() - dt.timedelta(days=2, hours=12)).date()
    expected = sum(
        1 for n in PetNotice.objects.filter(status="published") if timezone.localdate(n.seen_at) >= since
    )
    assert selectors.search(since=since).count() == expected and 2 <= expected <= 3
    with django_assert_max_num_queries(8):
        response = client.get(reverse("pets:list"), {"kind": "lost"})
    assert response.status_code == 200
    body = client.get(reverse("pets:geojson"), {"kind": "found"}).json()
    assert len(body["features"]) == 3


def test_form_refusal_shows_message_next_to_field(client, district, resident):
    client.force_login(resident)
    response = client.post(
        reverse("pets:new"),
        {
            "kind": "lost",
            "animal": "cat",
            "description": "Cat",
            "latitude": "10",
            "longitude": "10",
            "seen_at": "2026-01-01T10:00",
        },
    )
    assert response.status_code == 400
    assert "outside the city" in response.content.decode()
    assert not PetNotice.objects.exists()


def test_moderation_pages_need_the_role(client, district, resident, moderator):
    notice = post_notice(resident)
    client.force_login(resident)
    assert client.get(reverse("pets:moderation")).status_code == 403
    assert client.post(reverse("pets:moderate", args=[notice.pk]), {"decision": "publish"}).status_code == 403
    client.force_login(moderator)
    assert client.get(reverse("pets:moderation")).status_code == 200
    client.post(reverse("pets:moderate", args=[notice.pk]), {"decision": "publish"})
    assert PetNotice.objects.get().status == NoticeStatus.PUBLISHED


def test_api_create_search_and_refusals(api_client, district, resident, moderator):
    body = {
        "kind": "lost",
        "animal": "cat",
        "description": "Grey cat",
        "latitude": 55.75,  # numbers, as the document says (a string is not one)
        "longitude": 37.6,
        "seen_at": timezone.now().isoformat(),
    }
    created = api_client.post("/api/v1/pets/notices", json.dumps(body), content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "pending"
    outside = api_client.post(
        "/api/v1/pets/notices",
        json.dumps({**body, "latitude": 59.9, "longitude": 30.3}),
        content_type="application/json",
    )
    assert outside.status_code == 409 and outside.json()["code"] == "pet_outside_city"
    assert PetNotice.objects.count() == 1
    denied = api_client.post(
        f"/api/v1/pets/notices/{created.json()['id']}/moderation",
        json.dumps({"approve": True}),
        content_type="application/json",
    )
    assert denied.status_code == 403
    services.notice_moderate(notice_id=created.json()["id"], moderator=moderator, approve=True)
    assert api_client.get("/api/v1/pets/notices?kind=lost").json()["items"][0]["animal"] == "cat"
    assert api_client.get(f"/api/v1/pets/notices/{created.json()['id']}/suggestions").json() == []

"""Photo contests: uploads checked by content inside the window, moderation with points for
taking part, one vote per photo (never one's own), winners with points clamped by the
per-contest cap; every refusal stores nothing and grants nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from gorod.accounts.tests.factories import ResidentFactory
from gorod.notifications.models import Notification
from gorod.points import selectors as points_selectors
from gorod.points.models import Transfer
from gorod.voting.contests import errors, services
from gorod.voting.contests import photos as photos_contests
from gorod.voting.contests import rules as contest_rules
from gorod.voting.contests.models import ContestPhoto, PhotoContest, PhotoVote

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return ResidentFactory(level="full", roles=["operator"], is_staff=True)


@pytest.fixture
def moderator(db):
    return ResidentFactory(level="full", roles=["moderator"], is_staff=True)


def jpeg(size: tuple[int, int] = (64, 48), *, exif_gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "CameraMaker"  # Make
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def make_contest(operator, *, uploads=(-1, 5), voting=(-1, 7), **kw) -> PhotoContest:
    now = timezone.now()
    return services.contest_create(
        title=kw.pop("title", "Autumn courtyards"),
        theme="Courtyards in autumn.",
        uploads_open_at=now + dt.timedelta(days=uploads[0]),
        uploads_close_at=now + dt.timedelta(days=uploads[1]),
        voting_open_at=now + dt.timedelta(days=voting[0]),
        voting_close_at=now + dt.timedelta(days=voting[1]),
        actor=operator,
        **kw,
    )


@pytest.fixture
def contest(operator):
    return make_contest(operator)


def submit(contest, resident, content: bytes | None = None, title: str = "") -> ContestPhoto:
    return services.photo_submit(
        contest_id=contest.pk, resident=resident, upload=io.BytesIO(content or jpeg()), title=title
    )


def published(contest, resident, moderator) -> ContestPhoto:
    photo = submit(contest, resident)
    services.photo_moderate(photo_id=photo.pk, moderator=moderator, publish=True)
    photo.refresh_from_db()
    return photo


def media_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def balance(resident) -> int:
    return points_selectors.balance(resident).balance


def test_upload_moderate_vote_and_win(api_client, resident, contest, moderator, operator):
    sent = api_client.post(
        f"/api/v1/contests/{contest.pk}/photos",
        {
            "title": "Golden maples",
            "photo": SimpleUploadedFile("maples.jpg", jpeg(), content_type="image/jpeg"),
        },
    )
    assert sent.status_code == 201, sent.content
    photo = ContestPhoto.objects.get(pk=sent.json()["id"])
    assert photo.status == "pending" and photo.district == resident.home_district
    stored = Path(django_settings.MEDIA_ROOT) / photo.file.name
    assert stored.is_file() and photo.file.name.startswith("contests/")
    assert Client().get(f"/voting/contests/photos/{photo.pk}/").status_code == 404  # not public yet
    assert Client().get(f"/api/v1/contests/{contest.pk}/photos").json() == []

    moderated = Client()
    moderated.force_login(moderator)
    moderated.post(f"/voting/contests/photos/{photo.pk}/moderate/", {"decision": "publish"})
    photo.refresh_from_db()
    assert photo.status == "published" and balance(resident) == 100
    second = published(contest, resident, moderator)  # taking part pays once per contest
    assert second.status == "published" and balance(resident) == 100

    voter = ResidentFactory()
    services.photo_vote(photo_id=photo.pk, resident=voter)
    public = Client().get(f"/api/v1/contests/{contest.pk}/photos").json()
    assert [p["votes"] for p in public] == [None, None]  # counts stay hidden while voting runs
    assert public[0]["district"] == resident.home_district.name and "author" not in public[0]
    page = Client().get(f"/voting/contests/{contest.pk}/").content.decode()
    assert "Golden maples" in page and resident.last_name not in page and resident.username not in page

    with pytest.raises(errors.VotingNotFinished):
        services.contest_winners_mark(contest_id=contest.pk, photo_ids=[photo.pk], actor=operator)
    PhotoContest.objects.filter(pk=contest.pk).update(
        uploads_close_at=timezone.now() - dt.timedelta(hours=2),
        voting_close_at=timezone.now() - dt.timedelta(hours=1),
    )
    granted = services.contest_winners_mark(contest_id=contest.pk, photo_ids=[photo.pk], actor=operator)
    assert granted == {photo.pk: 1000} and balance(resident) == 1100
    results = Client().get(f"/api/v1/contests/{contest.pk}/photos").json()
    assert results[0]["id"] == photo.pk and results[0]["is_winner"] and results[0]["votes"] == 1
    with pytest.raises(errors.WinnersAlreadyMarked):
        services.contest_winners_mark(contest_id=contest.pk, photo_ids=[second.pk], actor=operator)
    assert balance(resident) == 1100 and not ContestPhoto.objects.get(pk=second.pk).is_winner
    assert Notification.objects.filter(resident=resident, kind="photo_contest").count() == 3


def test_points_are_clamped_by_the_per_contest_cap(resident, operator, moderator):
    contest = make_contest(operator, winner_points=9_950)
    first = published(contest, resident, moderator)
    second = published(contest, resident, moderator)
    assert balance(resident) == 100
    PhotoContest.objects.filter(pk=contest.pk).update(
        uploads_close_at=timezone.now() - dt.timedelta(hours=2),
        voting_close_at=timezone.now() - dt.timedelta(hours=1),
    )
    granted = services.contest_winners_mark(
        contest_id=contest.pk, photo_ids=[first.pk, second.pk], actor=operator
    )
    assert granted == {first.pk: 9_900, second.pk: 0}  # up to 10,000 per contest
    assert balance(resident) == 10_000
    other = make_contest(operator, title="Winter")
    published(other, resident, moderator)
    assert balance(resident) == 10_100  # the cap is per contest, not per resident for ever


def test_simplified_account_takes_part_without_points(contest, moderator):
    simplified = ResidentFactory(level="simplified")
    photo = submit(contest, simplified)
    _, points = services.photo_moderate(photo_id=photo.pk, moderator=moderator, publish=True)
    assert points == 0 and balance(simplified) == 0


@pytest.mark.parametrize(
    ("uploads", "code"), [((1, 5), "contest_uploads_not_open"), ((-5, -1), "contest_uploads_closed")]
)
def test_photo_outside_the_upload_window_is_refused(api_client, resident, operator, uploads, code):
    contest = make_contest(operator, uploads=uploads, voting=(uploads[0], 7))
    response = api_client.post(
        f"/api/v1/contests/{contest.pk}/photos",
        {"photo": SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg")},
    )
    assert response.status_code == 409 and response.json()["code"] == code
    assert not ContestPhoto.objects.exists() and media_files() == [] and balance(resident) == 0


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"GIF89a not really an image at all", "photo_not_an_image"),
        (b"MZ\x90\x00 an executable called photo.jpg", "photo_not_an_image"),
        (jpeg()[:200], "photo_not_an_image"),  # a truncated JPEG
        (b"\xff\xd8\xff" + b"0" * photos_contests.MAX_PHOTO_BYTES, "photo_too_large"),
    ],
    ids=["gif-header-text", "executable", "truncated-jpeg", "too-big"],
)
def test_not_an_image_or_too_big_is_refused(api_client, resident, contest, content, code):
    response = api_client.post(
        f"/api/v1/contests/{contest.pk}/photos",
        {"photo": SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")},
    )
    # Not a photo at all is the wrong media type; a photo too big is an input error.
    assert response.status_code == (415 if code == "photo_not_an_image" else 422)
    assert response.json()["code"] == code
    assert not ContestPhoto.objects.exists() and media_files() == [] and balance(resident) == 0


def test_public_titles_hide_contacts(resident, contest, moderator):
    photo = submit(contest, resident, title="Call +7 916 123-45-67")
    services.photo_moderate(photo_id=photo.pk, moderator=moderator, publish=True)
    listed = Client().get(f"/api/v1/contests/{contest.pk}/photos").json()
    assert listed[0]["title"] == "Call […]"
    assert "123-45-67" not in Client().get(f"/voting/contests/{contest.pk}/").content.decode()


def test_photos_are_reencoded_without_metadata(resident, contest):
    photo = submit(contest, resident, jpeg(exif_gps=True))
    with Image.open(Path(django_settings.MEDIA_ROOT) / photo.file.name) as stored:
        assert stored.format == "JPEG" and not stored.getexif()


def test_entry_limit_per_resident(resident, contest, moderator):
    first = submit(contest, resident)
    submit(contest, resident)
    submit(contest, resident)
    with pytest.raises(errors.EntryLimitReached):
        submit(contest, resident)
    assert ContestPhoto.objects.count() == 3 and len(media_files()) == 3
    services.photo_moderate(photo_id=first.pk, moderator=moderator, publish=False, reason="Not on the theme")
    submit(contest, resident)  # a rejected photo frees its place
    assert ContestPhoto.objects.count() == 4


def test_voting_twice_is_refused_and_stores_one_vote(api_client, resident, contest, moderator):
    photo = published(contest, ResidentFactory(), moderator)
    first = api_client.post(f"/api/v1/contests/photos/{photo.pk}/vote")
    again = api_client.post(f"/api/v1/contests/photos/{photo.pk}/vote")
    assert first.status_code == 201
    assert again.status_code == 409 and again.json()["code"] == "photo_already_voted"
    assert PhotoVote.objects.filter(photo=photo).count() == 1 and balance(resident) == 0


def test_voting_for_ones_own_photo_is_refused(api_client, resident, contest, moderator):
    photo = published(contest, resident, moderator)
    before = Transfer.objects.count()
    response = api_client.post(f"/api/v1/contests/photos/{photo.pk}/vote")
    assert response.status_code == 403 and response.json()["code"] == "photo_own"
    assert not PhotoVote.objects.exists() and Transfer.objects.count() == before


def test_voting_outside_its_window_is_refused(resident, operator, moderator):
    early = make_contest(operator, uploads=(-5, 1), voting=(2, 7))
    late = make_contest(operator, title="Late")
    photos = [published(early, ResidentFactory(), moderator), published(late, ResidentFactory(), moderator)]
    now = timezone.now()
    PhotoContest.objects.filter(pk=late.pk).update(
        uploads_open_at=now - dt.timedelta(days=5),
        uploads_close_at=now - dt.timedelta(days=2),
        voting_open_at=now - dt.timedelta(days=4),
        voting_close_at=now - dt.timedelta(days=1),
    )
    with pytest.raises(errors.VotingNotOpen):
        services.photo_vote(photo_id=photos[0].pk, resident=resident)
    with pytest.raises(errors.VotingClosed):
        services.photo_vote(photo_id=photos[1].pk, resident=resident)
    assert not PhotoVote.objects.exists() and balance(resident) == 0


def test_pending_or_rejected_photos_take_no_votes(resident, contest, moderator):
    pending = submit(contest, ResidentFactory())
    rejected = submit(contest, ResidentFactory())
    services.photo_moderate(photo_id=rejected.pk, moderator=moderator, publish=False, reason="Blurred")
    for photo in (pending, rejected):
        with pytest.raises(errors.PhotoNotFound):
            services.photo_vote(photo_id=photo.pk, resident=resident)
    assert not PhotoVote.objects.exists()


def test_moderation_refusals_grant_nothing(resident, contest, moderator):
    photo = submit(contest, resident)
    with pytest.raises(errors.PhotoRejectReasonRequired):
        services.photo_moderate(photo_id=photo.pk, moderator=moderator, publish=False, reason="")
    services.photo_moderate(
        photo_id=photo.pk, moderator=moderator, publish=False, reason="Someone else's photo"
    )
    with pytest.raises(errors.PhotoAlreadyModerated):
        services.photo_moderate(photo_id=photo.pk, moderator=moderator, publish=True)
    photo.refresh_from_db()
    assert photo.status == "rejected" and balance(resident) == 0
    mine = Client()
    mine.force_login(resident)
    assert "Someone else&#x27;s photo" in mine.get(f"/voting/contests/{contest.pk}/").content.decode()
    assert mine.get(f"/voting/contests/photos/{photo.pk}/").status_code == 200  # the author still sees it
    assert Client().get(f"/voting/contests/photos/{photo.pk}/").status_code == 404


def test_winner_must_be_a_published_photo_of_the_contest(resident, operator, moderator):
    contest = make_contest(operator)
    other = make_contest(operator, title="Other")
    pending = submit(contest, resident)
    foreign = published(other, ResidentFactory(), moderator)
    PhotoContest.objects.filter(pk=contest.pk).update(
        uploads_close_at=timezone.now() - dt.timedelta(hours=2),
        voting_close_at=timezone.now() - dt.timedelta(hours=1),
    )
    for photo_ids in ([pending.pk], [foreign.pk], []):
        with pytest.raises(errors.WinnerInvalid):
            services.contest_winners_mark(contest_id=contest.pk, photo_ids=photo_ids, actor=operator)
    contest.refresh_from_db()
    assert contest.winners_marked_at is None and balance(resident) == 0


def test_only_staff_moderate_and_mark_winners(api_client, resident, contest):
    photo = submit(contest, ResidentFactory())
    moderated = api_client.post(
        f"/api/v1/contests/photos/{photo.pk}/moderation", {"publish": True}, content_type="application/json"
    )
    winners = api_client.post(
        f"/api/v1/contests/{contest.pk}/winners", {"photo_ids": [photo.pk]}, content_type="application/json"
    )
    assert moderated.status_code == winners.status_code == 403
    client = Client()
    client.force_login(resident)
    assert client.get("/voting/contests/moderation/").status_code == 403
    assert client.get("/voting/contests/new/").status_code == 403
    photo.refresh_from_db()
    assert photo.status == "pending"


def test_contest_pages_upload_and_vote(resident, contest, moderator, operator):
    client = Client()
    client.force_login(resident)
    bad = client.post(
        f"/voting/contests/{contest.pk}/photos/",
        {"photo": SimpleUploadedFile("x.jpg", b"text", content_type="image/jpeg")},
    )
    # the page re-renders with the API's status for the same refusal (415: not a photo)
    assert bad.status_code == 415 and "not a JPEG, PNG or WebP photo" in bad.content.decode()
    assert not ContestPhoto.objects.exists()
    sent = client.post(
        f"/voting/contests/{contest.pk}/photos/",
        {"photo": SimpleUploadedFile("x.jpg", jpeg(), content_type="image/jpeg"), "title": "Rowan"},
        follow=True,
    )
    assert "awaiting moderation" in sent.content.decode()
    theirs = published(contest, ResidentFactory(), moderator)
    voted = client.post(f"/voting/contests/photos/{theirs.pk}/vote/", follow=True)
    assert "Your vote is counted." in voted.content.decode()
    assert PhotoVote.objects.filter(photo=theirs, resident=resident).exists()
    staff = Client()
    staff.force_login(operator)
    assert "Rowan" in staff.get("/voting/contests/moderation/").content.decode()
    created = staff.post(
        "/voting/contests/new/",
        {
            "title": "Spring",
            "theme": "Blossom",
            "uploads_open_at": "2027-03-01T00:00",
            "uploads_close_at": "2027-03-20T00:00",
            "voting_open_at": "2027-03-10T00:00",
            "voting_close_at": "2027-03-31T00:00",
            "winner_points": "500",
        },
    )
    assert created.status_code == 302 and PhotoContest.objects.filter(title="Spring").exists()


def test_contest_window_refusals(operator):
    now = timezone.now()
    day = dt.timedelta(days=1)
    bad_windows = [
        (now, now, now, now + day),  # uploads close when they open
        (now, now + day, now - day, now + 2 * day),  # voting before uploads
        (now, now + 2 * day, now, now + day),  # voting ends before uploads
    ]
    for a, b, c, d in bad_windows:
        with pytest.raises(errors.ContestWindowsInvalid):
            services.contest_create(
                title="x",
                theme="y",
                uploads_open_at=a,
                uploads_close_at=b,
                voting_open_at=c,
                voting_close_at=d,
                actor=operator,
            )
    assert not PhotoContest.objects.exists()


def test_contest_list_and_gallery_bounded_queries(django_assert_max_num_queries, operator, moderator):
    contest = make_contest(operator)
    for _ in range(5):
        published(contest, ResidentFactory(), moderator)
    client = Client()
    with django_assert_max_num_queries(6):
        assert client.get("/voting/contests/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/voting/contests/{contest.pk}/").status_code == 200
    with django_assert_max_num_queries(6):
        assert len(client.get(f"/api/v1/contests/{contest.pk}/photos").json()) == 5


def test_demo_seed_is_idempotent_and_has_every_stage():
    from gorod.accounts import demo as accounts_demo
    from gorod.voting.contests import demo as demo_contests
    from gorod.voting.discussions import demo as demo_discussions
    from gorod.voting.discussions.models import Discussion, DiscussionComment

    accounts_demo.seed()
    for _ in range(2):
        demo_discussions.seed()
        demo_contests.seed()
    assert Discussion.objects.count() == 2 and PhotoContest.objects.count() == 1
    finished = Discussion.objects.get(title=demo_discussions.FINISHED_TITLE)
    report = Client().get(f"/api/v1/discussions/{finished.pk}/report").json()
    assert len(report["comments"]) == 2 and all(c["response"] for c in report["comments"])
    opened = Discussion.objects.get(title=demo_discussions.OPEN_TITLE)
    assert set(DiscussionComment.objects.filter(discussion=opened).values_list("status", flat=True)) == {
        "published",
        "pending",
        "rejected",
    }
    contest = PhotoContest.objects.get(title=demo_contests.OPEN_TITLE)
    assert contest_rules.phase_of(contest, timezone.now()) == "voting"
    assert ContestPhoto.objects.filter(contest=contest, status="published").count() == 3
    assert PhotoVote.objects.filter(contest=contest).count() == 6

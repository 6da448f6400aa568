"""Public discussions: commenting inside the window from an affected district, moderation,
responses, the anonymous public view and the final report; every refusal writes nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from gorod.accounts.models import AuditEntry
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.core.time import city_today
from gorod.notifications.models import Notification
from gorod.points.models import Transfer
from gorod.voting.discussions import errors, services
from gorod.voting.discussions import rules as discussion_rules
from gorod.voting.discussions.demo import pdf_of
from gorod.voting.discussions.models import Discussion, DiscussionComment, DiscussionDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return ResidentFactory(level="full", roles=["operator"], is_staff=True)


@pytest.fixture
def moderator(db):
    return ResidentFactory(level="full", roles=["moderator"], is_staff=True)


def make_discussion(operator, districts, *, opens: int = -1, closes: int = 10, **kw) -> Discussion:
    now = timezone.now()
    return services.discussion_create(
        title=kw.pop("title", "A new park on the embankment"),
        description="Trees, paths and a playground where the car park is.",
        opens_at=now + dt.timedelta(days=opens),
        closes_at=now + dt.timedelta(days=closes),
        districts=districts,
        location={"type": "Point", "coordinates": [37.59, 55.75]},
        actor=operator,
        **kw,
    )


@pytest.fixture
def discussion(operator, resident):
    return make_discussion(operator, [resident.home_district])


def nothing_written(resident) -> bool:
    return (
        not DiscussionComment.objects.exists()
        and not Transfer.objects.filter(credit__resident=resident).exists()
        and not Notification.objects.exists()
    )


def test_comment_is_moderated_answered_and_shown_without_the_name(
    api_client, resident, discussion, moderator, operator
):
    resident.first_name, resident.last_name = "Zinaida", "Uniquename"
    resident.save()
    text = "Keep the old lime trees, please. Write me at zina@example.com or +7 916 123-45-67."
    created = api_client.post(
        f"/api/v1/discussions/{discussion.pk}/comments", {"text": text}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "pending"
    public = Client()
    assert public.get(f"/api/v1/discussions/{discussion.pk}/comments").json() == []  # not before moderation

    comment_id = created.json()["id"]
    services.comment_moderate(comment_id=comment_id, moderator=moderator, publish=True)
    services.comment_respond(comment_id=comment_id, operator=operator, text="The lime trees stay.")

    listed = public.get(f"/api/v1/discussions/{discussion.pk}/comments").json()
    assert len(listed) == 1
    assert listed[0]["district"] == resident.home_district.name
    assert listed[0]["response"] == "The lime trees stay."
    assert "zina@example.com" not in listed[0]["text"] and "123-45-67" not in listed[0]["text"]
    page = public.get(f"/voting/discussions/{discussion.pk}/").content.decode()
    assert "Keep the old lime trees" in page and f"Resident of {resident.home_district.name}" in page
    for private in ("Zinaida", "Uniquename", resident.username, "zina@example.com", resident.email):
        assert private not in page
        assert private not in str(listed)
    assert DiscussionComment.objects.get().text == text  # kept as written: masked where shown
    assert Notification.objects.filter(resident=resident).count() == 2  # published, answered
    assert AuditEntry.objects.filter(action="voting.comment_publish").count() == 1


def test_rejected_comment_shows_its_reason_to_the_author_only(api_client, resident, discussion, moderator):
    comment = services.comment_submit(discussion_id=discussion.pk, resident=resident, text="Buy watches!")
    services.comment_moderate(comment_id=comment.pk, moderator=moderator, publish=False, reason="Advertising")
    mine = api_client.get(f"/api/v1/discussions/{discussion.pk}/comments/mine").json()
    assert mine[0]["status"] == "rejected" and mine[0]["reject_reason"] == "Advertising"
    assert Client().get(f"/api/v1/discussions/{discussion.pk}/comments").json() == []
    assert "Buy watches" not in Client().get(f"/voting/discussions/{discussion.pk}/").content.decode()


@pytest.mark.parametrize(
    ("opens", "closes", "code"),
    [(1, 10, "discussion_not_open"), (-10, -1, "discussion_closed")],
)
def test_comment_outside_the_window_is_refused(api_client, resident, operator, opens, closes, code):
    discussion = make_discussion(operator, [resident.home_district], opens=opens, closes=closes)
    response = api_client.post(
        f"/api/v1/discussions/{discussion.pk}/comments",
        {"text": "Good idea"},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == code
    assert nothing_written(resident)


def test_comment_from_a_district_the_project_does_not_affect_is_refused(api_client, resident, operator):
    discussion = make_discussion(operator, [DistrictFactory()])
    response = api_client.post(
        f"/api/v1/discussions/{discussion.pk}/comments",
        {"text": "Good idea"},
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["code"] == "discussion_not_for_your_district"
    assert nothing_written(resident)


def test_resident_without_a_home_district_is_refused(discussion):
    homeless = ResidentFactory(home_district=None)
    with pytest.raises(errors.DiscussionNotForYourDistrict):
        services.comment_submit(discussion_id=discussion.pk, resident=homeless, text="Good idea")
    assert not DiscussionComment.objects.exists()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # refused by the published schema (non-blank, at most COMMENT_MAX), before the service
        ("", "invalid_input"),
        ("   \n\t ", "invalid_input"),
        ("x" * (discussion_rules.COMMENT_MAX + 1), "invalid_input"),
    ],
)
def test_empty_or_too_long_comment_is_refused(api_client, resident, discussion, text, code):
    response = api_client.post(
        f"/api/v1/discussions/{discussion.pk}/comments", {"text": text}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["code"] == code
    assert nothing_written(resident)


def test_comment_of_exactly_the_maximum_length_is_taken(resident, discussion):
    services.comment_submit(
        discussion_id=discussion.pk, resident=resident, text="x" * discussion_rules.COMMENT_MAX
    )
    assert DiscussionComment.objects.get().text == "x" * discussion_rules.COMMENT_MAX


def test_unpublished_discussion_takes_no_comments(api_client, resident, operator):
    draft = make_discussion(operator, [resident.home_district], published=False)
    response = api_client.post(
        f"/api/v1/discussions/{draft.pk}/comments", {"text": "Good idea"}, content_type="application/json"
    )
    assert response.status_code == 404 and response.json()["code"] == "discussion_not_found"
    assert Client().get(f"/voting/discussions/{draft.pk}/").status_code == 404
    assert nothing_written(resident)


def test_moderation_refusals_change_nothing(resident, discussion, moderator, operator):
    comment = services.comment_submit(discussion_id=discussion.pk, resident=resident, text="Good idea")
    with pytest.raises(errors.RejectReasonRequired):
        services.comment_moderate(comment_id=comment.pk, moderator=moderator, publish=False, reason="  ")
    with pytest.raises(errors.CommentNotPublished):
        services.comment_respond(comment_id=comment.pk, operator=operator, text="Thanks")
    comment.refresh_from_db()
    assert comment.status == "pending" and comment.response == "" and not Notification.objects.exists()
    services.comment_moderate(comment_id=comment.pk, moderator=moderator, publish=True)
    with pytest.raises(errors.CommentAlreadyModerated):
        services.comment_moderate(comment_id=comment.pk, moderator=moderator, publish=False, reason="late")
    with pytest.raises(errors.ResponseEmpty):
        services.comment_respond(comment_id=comment.pk, operator=operator, text=" ")
    comment.refresh_from_db()
    assert comment.status == "published" and comment.reject_reason == "" and comment.response == ""


def test_only_moderators_moderate_and_only_operators_respond(api_client, resident, discussion):
    comment = services.comment_submit(discussion_id=discussion.pk, resident=resident, text="Good idea")
    moderated = api_client.post(
        f"/api/v1/discussions/comments/{comment.pk}/moderation",
        {"publish": True},
        content_type="application/json",
    )
    responded = api_client.post(
        f"/api/v1/discussions/comments/{comment.pk}/response",
        {"response": "x"},
        content_type="application/json",
    )
    assert moderated.status_code == responded.status_code == 403
    client = Client()
    client.force_login(resident)
    assert client.get("/voting/discussions/moderation/").status_code == 403
    assert (
        client.post(
            f"/voting/discussions/comments/{comment.pk}/moderate/", {"decision": "publish"}
        ).status_code
        == 403
    )
    assert client.get("/voting/discussions/new/").status_code == 403
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_moderation_pages_publish_reject_and_respond(resident, discussion, moderator, operator):
    first = services.comment_submit(discussion_id=discussion.pk, resident=resident, text="First comment")
    second = services.comment_submit(discussion_id=discussion.pk, resident=resident, text="Second comment")
    staff = Client()
    staff.force_login(moderator)
    queue = staff.get("/voting/discussions/moderation/").content.decode()
    assert "First comment" in queue and "Second comment" in queue
    staff.post(f"/voting/discussions/comments/{first.pk}/moderate/", {"decision": "publish"})
    staff.post(
        f"/voting/discussions/comments/{second.pk}/moderate/", {"decision": "reject", "reason": "Off topic"}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.reject_reason) == ("published", "rejected", "Off topic")
    city = Client()
    city.force_login(operator)
    assert "First comment" in city.get("/voting/discussions/moderation/").content.decode()
    city.post(f"/voting/discussions/comments/{first.pk}/respond/", {"response": "Thank you, noted."})
    first.refresh_from_db()
    assert first.response == "Thank you, noted." and first.responded_by == operator


def test_final_report_after_the_window_lists_every_published_comment(resident, operator, moderator):
    discussion = make_discussion(operator, [resident.home_district])
    texts = ["=1+1 formula-looking", "Second, with a response"]
    for text in [*texts, "Rejected one"]:
        comment = services.comment_submit(discussion_id=discussion.pk, resident=resident, text=text)
        publish = text != "Rejected one"
        services.comment_moderate(comment_id=comment.pk, moderator=moderator, publish=publish, reason="no")
        if text.startswith("Second"):
            services.comment_respond(comment_id=comment.pk, operator=operator, text="Answered.")
    client = Client()
    assert client.get(f"/api/v1/discussions/{discussion.pk}/report").json()["code"] == "report_not_ready"
    assert client.get(f"/voting/discussions/{discussion.pk}/report/").status_code == 409
    Discussion.objects.filter(pk=discussion.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))

    report = client.get(f"/api/v1/discussions/{discussion.pk}/report").json()
    assert [c["text"] for c in report["comments"]] == texts
    assert report["comments"][1]["response"] == "Answered."
    page = client.get(f"/voting/discussions/{discussion.pk}/report/").content.decode()
    assert "Answered." in page and "Rejected one" not in page and resident.last_name not in page
    csv_text = client.get(f"/voting/discussions/{discussion.pk}/report.csv").content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("number,district") and len(lines) == 3
    assert ",'=1+1 formula-looking," in lines[1]  # kept as text in spreadsheets
    assert resident.last_name not in csv_text and resident.username not in csv_text


def test_documents_are_checked_by_content(operator, resident, settings):
    pdf = discussion_rules.check_document(io.BytesIO(pdf_of("Plan")), title="Plan")
    png_bytes = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 200, 10)).save(png_bytes, format="PNG")
    png = discussion_rules.check_document(io.BytesIO(png_bytes.getvalue()), title="")
    assert (pdf.content_type, png.content_type, png.title) == (
        "application/pdf",
        "image/png",
        "Project document",
    )
    discussion = make_discussion(operator, [resident.home_district], documents=[pdf, png])
    assert DiscussionDocument.objects.filter(discussion=discussion).count() == 2
    stored = DiscussionDocument.objects.get(content_type="application/pdf")
    assert (Path(settings.MEDIA_ROOT) / stored.file.name).read_bytes().startswith(b"%PDF-")
    download = Client().get(f"/voting/discussions/{discussion.pk}/documents/{stored.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")

    with pytest.raises(errors.DocumentInvalid):
        discussion_rules.check_document(
            io.BytesIO(b"MZ\x90\x00 an executable renamed to plan.pdf"), title="Plan"
        )
    with pytest.raises(errors.DocumentInvalid):
        discussion_rules.check_document(io.BytesIO(b"%PDF-1.4 but cut off"), title="Plan")
    with pytest.raises(errors.DocumentTooLarge):
        discussion_rules.check_document(
            io.BytesIO(b"%PDF-" + b"0" * discussion_rules.DOCUMENT_MAX_BYTES), title="Plan"
        )


def test_operator_creates_a_discussion_on_the_page_and_a_bad_document_stores_nothing(
    operator, resident, settings
):
    district = resident.home_district
    client = Client()
    client.force_login(operator)
    form = {
        "title": "Bicycle lane on the ring",
        "description": "A protected lane.",
        "districts": [district.pk],
        "opens_on": city_today().isoformat(),
        "closes_on": (city_today() + dt.timedelta(days=14)).isoformat(),
        "latitude": "55.75",
        "longitude": "37.60",
        "document_title": "Drawing",
    }
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.post(
        "/voting/discussions/new/", {**form, "document": SimpleUploadedFile("plan.pdf", b"not a pdf at all")}
    )
    assert bad.status_code == 422 and not Discussion.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    good = client.post(
        "/voting/discussions/new/", {**form, "document": SimpleUploadedFile("plan.pdf", pdf_of("x"))}
    )
    assert good.status_code == 302
    created = Discussion.objects.get()
    assert created.location == {"type": "Point", "coordinates": [37.6, 55.75]}
    assert created.documents.count() == 1 and list(created.districts.all()) == [district]


def test_creation_refusals(operator, resident):
    now = timezone.now()
    with pytest.raises(errors.DiscussionWindowInvalid):
        services.discussion_create(
            title="x",
            description="y",
            opens_at=now,
            closes_at=now,
            districts=[resident.home_district],
            actor=operator,
        )
    with pytest.raises(errors.DistrictsRequired):
        services.discussion_create(
            title="x",
            description="y",
            opens_at=now,
            closes_at=now + dt.timedelta(days=1),
            districts=[],
            actor=operator,
        )
    assert not Discussion.objects.exists()


def test_list_page_and_api_bounded_queries(django_assert_max_num_queries, operator, resident):
    for i in range(5):
        make_discussion(operator, [resident.home_district], title=f"Project {i}")
    client = Client()
    with django_assert_max_num_queries(6):
        page = client.get("/voting/discussions/")
    assert page.status_code == 200 and "Project 4" in page.content.decode()
    with django_assert_max_num_queries(6):
        listed = client.get("/api/v1/discussions")
    assert len(listed.json()) == 5


def test_comment_form_on_the_page(resident, discussion):
    client = Client()
    client.force_login(resident)
    empty = client.post(f"/voting/discussions/{discussion.pk}/comment/", {"text": "  "})
    assert empty.status_code == 422 and "Write a comment first." in empty.content.decode()
    assert not DiscussionComment.objects.exists()
    sent = client.post(f"/voting/discussions/{discussion.pk}/comment/", {"text": "Good idea"}, follow=True)
    assert "awaiting moderation" in sent.content.decode()
    assert DiscussionComment.objects.get().author == resident


def test_an_image_document_is_stored_without_its_gps(operator, resident, settings):
    from gorod.core.tests.test_images import assert_no_metadata, gps_jpeg

    photo = discussion_rules.check_document(io.BytesIO(gps_jpeg()), title="The courtyard today")
    discussion = make_discussion(operator, [resident.home_district], documents=[photo])
    stored = DiscussionDocument.objects.get(discussion=discussion)
    assert stored.content_type == "image/jpeg"
    assert_no_metadata((Path(settings.MEDIA_ROOT) / stored.file.name).read_bytes())


def test_a_rejection_records_who_when_why_and_an_audit_entry(resident, discussion, moderator):
    """The shared moderation block (gorod.accounts.moderation): the decision, the moderator, the
    time and the reason in one save, and the audit entry in the same transaction."""
    comment = services.comment_submit(discussion_id=discussion.pk, resident=resident, text="Buy my bikes")
    services.comment_moderate(
        comment_id=comment.pk, moderator=moderator, publish=False, reason=" Advertising "
    )
    comment.refresh_from_db()
    assert (comment.status, comment.reject_reason, comment.moderated_by) == (
        "rejected",
        "Advertising",
        moderator,
    )
    assert comment.moderated_at is not None and comment.moderated_at <= timezone.now()
    entry = AuditEntry.objects.get(action="voting.comment_reject")
    assert (entry.actor, entry.object_id, entry.reason) == (moderator, str(comment.pk), "Advertising")
    assert (entry.before, entry.after) == ({"status": "pending"}, {"status": "rejected"})
    assert Notification.objects.get(resident=resident).body == "Advertising"

"""The building board: posting, moderation, emergency pinning, masking, points and refusals."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.accounts import roles
from gorod.accounts.models import AuditEntry
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing import errors
from gorod.housing.board import selectors as selectors_board
from gorod.housing.board import services as services_board
from gorod.housing.models import Announcement
from gorod.housing.tests.factories import AdministratorFactory, BuildingFactory, LinkFactory, PremiseFactory
from gorod.notifications.models import Notification
from gorod.points import selectors as points
from gorod.points.models import Transfer

pytestmark = pytest.mark.django_db

TEXT = "Selling a sofa, call +7 916 123-45-67 or write to anna.sofa@example.test"


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def neighbour(building):
    person = ResidentFactory(level="full")
    LinkFactory(resident=person, premise=PremiseFactory(building=building, number="N1"), role="tenant")
    return person


@pytest.fixture
def other_admin():
    admin = ResidentFactory(roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
    AdministratorFactory(building=BuildingFactory(), resident=admin)
    return admin


def test_posted_announcement_waits_then_is_published_with_first_points_once(
    building, owner, neighbour, administrator
):
    posted = services_board.announcement_post(building=building, author=owner, title="Sofa", body=TEXT)
    assert posted.status == "pending"
    assert selectors_board.board(neighbour, building) == []
    assert Notification.objects.filter(resident=administrator, kind="building_news").exists()

    services_board.announcement_approve(announcement=posted, actor=administrator)
    assert points.balance(owner).balance == 10  # first_announcement, standard account
    [shown] = selectors_board.board(neighbour, building)
    assert "+7 916" not in shown.text and "anna.sofa@" not in shown.text and "Selling a sofa" in shown.text
    [own] = selectors_board.board(owner, building)
    assert own.text == TEXT and own.mine

    second = services_board.announcement_post(building=building, author=owner, title="Bike", body="A bike")
    services_board.announcement_approve(announcement=second, actor=administrator)
    assert points.balance(owner).balance == 10
    assert Transfer.objects.filter(source_key=f"first_announcement:{owner.pk}").count() == 1


def test_simplified_account_earns_nothing_for_the_first_announcement(building, administrator):
    person = ResidentFactory(level="simplified")
    LinkFactory(resident=person, premise=PremiseFactory(building=building, number="S1"), role="tenant")
    posted = services_board.announcement_post(building=building, author=person, title="Hi", body="Hello")
    services_board.announcement_approve(announcement=posted, actor=administrator)
    assert points.balance(person).balance == 0 and posted.pk


def test_rejection_needs_a_reason_and_earns_nothing(building, owner, administrator):
    posted = services_board.announcement_post(building=building, author=owner, title="Ad", body="Buy now")
    with pytest.raises(errors.AnnouncementReasonRequired):
        services_board.announcement_reject(announcement=posted, actor=administrator, reason="  ")
    posted.refresh_from_db()
    assert (
        posted.status == "pending"
        and not AuditEntry.objects.filter(action__startswith="housing.ann").exists()
    )
    services_board.announcement_reject(announcement=posted, actor=administrator, reason="Advertising")
    posted.refresh_from_db()
    assert posted.status == "rejected" and posted.reason == "Advertising" and posted.published_at is None
    assert points.balance(owner).balance == 0
    [mine] = selectors_board.my_unpublished(owner, building)
    assert mine.announcement.reason == "Advertising"
    with pytest.raises(errors.AnnouncementNotPending):
        services_board.announcement_approve(announcement=posted, actor=administrator)
    posted.refresh_from_db()
    assert (
        posted.status == "rejected" and points.balance(owner).balance == 0 and not Transfer.objects.exists()
    )


@pytest.mark.parametrize("who", ["stranger", "pending_link", "other_building"])
def test_only_verified_residents_of_the_building_post(building, who):
    person = ResidentFactory()
    if who == "pending_link":
        LinkFactory(
            resident=person,
            premise=PremiseFactory(building=building, number="P1"),
            role="tenant",
            status="pending",
        )
    if who == "other_building":
        LinkFactory(resident=person, premise=PremiseFactory(), role="owner")
    with pytest.raises(errors.NotBuildingResident):
        services_board.announcement_post(building=building, author=person, title="Hi", body="Hello")
    assert not Announcement.objects.exists() and not Notification.objects.exists()


def test_empty_text_is_refused_and_nothing_written(building, owner):
    with pytest.raises(errors.AnnouncementEmpty) as refused:
        services_board.announcement_post(building=building, author=owner, title="Hi", body="   ")
    assert refused.value.field == "body" and not Announcement.objects.exists()


def test_administrator_of_another_building_cannot_moderate_or_post(building, owner, other_admin):
    posted = services_board.announcement_post(building=building, author=owner, title="Sofa", body=TEXT)
    with pytest.raises(errors.NotYourBuilding):
        services_board.announcement_approve(announcement=posted, actor=other_admin)
    with pytest.raises(errors.NotYourBuilding):
        services_board.announcement_reject(announcement=posted, actor=other_admin, reason="no")
    with pytest.raises(errors.NotYourBuilding):
        services_board.announcement_official_post(
            building=building, actor=other_admin, title="Water off", body="Tomorrow", emergency=True
        )
    posted.refresh_from_db()
    assert posted.status == "pending" and Announcement.objects.count() == 1
    assert not Transfer.objects.exists() and not AuditEntry.objects.exists()
    with pytest.raises(errors.NotBuildingResident):
        selectors_board.board_building(other_admin, building.pk)


def test_emergency_is_pinned_on_top_keeps_contacts_and_notifies_residents(
    building, owner, neighbour, administrator
):
    emergency = services_board.announcement_official_post(
        building=building,
        actor=administrator,
        title="Hot water off",
        body="Dispatcher: +7 495 539-53-53",
        emergency=True,
    )
    posted = services_board.announcement_post(building=building, author=owner, title="Sofa", body=TEXT)
    services_board.announcement_approve(announcement=posted, actor=administrator)
    notice = services_board.announcement_official_post(
        building=building, actor=administrator, title="Cleaning", body="Stairs on Monday"
    )
    order = [e.announcement.pk for e in selectors_board.board(neighbour, building)]
    assert order == [emergency.pk, notice.pk, posted.pk]
    assert selectors_board.board(neighbour, building)[0].text == "Dispatcher: +7 495 539-53-53"
    assert (
        Notification.objects.filter(
            event_key=f"announcement:{emergency.pk}:published", resident__in=[owner, neighbour]
        ).count()
        == 2
    )
    assert points.balance(administrator).balance == 0


def test_administrator_ends_an_emergency_on_the_page_and_it_is_no_longer_on_top(
    building, owner, neighbour, administrator, other_admin
):
    emergency = services_board.announcement_official_post(
        building=building, actor=administrator, title="Hot water off", body="Until 18:00", emergency=True
    )
    notice = services_board.announcement_official_post(
        building=building, actor=administrator, title="Cleaning", body="Stairs on Monday"
    )
    url = f"/housing/buildings/{building.pk}/board/{emergency.pk}/emergency-end/"
    assert (
        "The emergency is over"
        in signed_in(administrator).get(f"/housing/buildings/{building.pk}/board/").content.decode()
    )
    assert (
        "The emergency is over"
        not in signed_in(neighbour).get(f"/housing/buildings/{building.pk}/board/").content.decode()
    )
    # a neighbour, or the administrator of another building, cannot: nothing changes
    audits = AuditEntry.objects.count()
    for outsider in (neighbour, other_admin):
        signed_in(outsider).post(url)
        assert Announcement.objects.get(pk=emergency.pk).emergency
    assert AuditEntry.objects.count() == audits
    with pytest.raises(errors.NotYourBuilding):
        services_board.announcement_emergency_end(announcement=emergency, actor=other_admin)

    response = signed_in(administrator).post(url)
    assert response.status_code == 302
    assert not Announcement.objects.get(pk=emergency.pk).emergency
    assert [e.announcement.pk for e in selectors_board.board(neighbour, building)] == [
        notice.pk,
        emergency.pk,
    ]
    entry = AuditEntry.objects.get(action="housing.announcement_emergency_end")
    assert (entry.actor, entry.before, entry.after) == (
        administrator,
        {"emergency": True},
        {"emergency": False},
    )
    # ending it again is refused with a reason, and writes nothing more
    with pytest.raises(errors.AnnouncementNotPinned):
        services_board.announcement_emergency_end(announcement=emergency, actor=administrator)
    assert AuditEntry.objects.filter(action="housing.announcement_emergency_end").count() == 1


def test_api_board_post_read_and_cross_building_refusal(building, owner, neighbour, administrator):
    client = signed_in(owner)
    url = f"/api/v1/home/buildings/{building.pk}/announcements"
    created = client.post(
        url,
        {"title": "Lost keys", "body": "Found keys, mail me at k@example.test"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["status"] == "pending"
    assert client.get(url).json() == []
    assert client.get(f"{url}/mine").json()[0]["title"] == "Lost keys"
    services_board.announcement_approve(
        announcement=Announcement.objects.get(pk=created.json()["id"]), actor=administrator
    )
    seen = signed_in(neighbour).get(url).json()
    assert seen[0]["title"] == "Lost keys" and "k@example.test" not in seen[0]["text"]
    assert client.get(url).json()[0]["text"].endswith("k@example.test")

    outsider = ResidentFactory()
    LinkFactory(resident=outsider, premise=PremiseFactory(), role="owner")
    refused = signed_in(outsider).get(url)
    assert refused.status_code == 403 and refused.json()["code"] == "not_building_resident"
    posted = signed_in(outsider).post(url, {"title": "x", "body": "y"}, content_type="application/json")
    assert posted.status_code == 403 and Announcement.objects.count() == 1
    empty = client.post(url, {"title": " ", "body": "y"}, content_type="application/json")
    assert (
        empty.status_code == 422 and empty.json()["code"] == "invalid_input"
    )  # the schema wants a non-blank text
    assert Announcement.objects.count() == 1
    assert client.get("/api/v1/home/buildings/999999/announcements").status_code == 404


def test_board_pages_for_resident_and_administrator(
    building, owner, neighbour, administrator, django_assert_max_num_queries
):
    client = signed_in(owner)
    response = client.post(f"/housing/buildings/{building.pk}/board/", {"title": "Sofa", "body": TEXT})
    assert response.status_code == 302
    posted = Announcement.objects.get()
    admin = signed_in(administrator)
    queue = admin.get("/housing/admin/board/")
    assert queue.status_code == 200 and b"Sofa" in queue.content and b"+7 916" not in queue.content
    admin.post(f"/housing/admin/board/{posted.pk}/", {"decision": "approve"})
    admin.post(
        f"/housing/buildings/{building.pk}/board/official/",
        {"title": "Lift repair", "body": "Lift off on Friday", "emergency": "on"},
    )
    for n in range(5):
        services_board.announcement_official_post(
            building=building, actor=administrator, title=f"Notice {n}", body="Text"
        )
    reader = signed_in(neighbour)
    reader.get("/housing/")
    with django_assert_max_num_queries(12):
        page = reader.get(f"/housing/buildings/{building.pk}/board/")
    content = page.content.decode()
    assert page.status_code == 200 and content.index("Lift repair") < content.index("Sofa")
    assert "+7 916" not in content
    empty = client.post(f"/housing/buildings/{building.pk}/board/", {"title": "x", "body": ""})
    assert empty.status_code == 422 and Announcement.objects.filter(author=owner).count() == 1
    assert signed_in(ResidentFactory()).get(f"/housing/buildings/{building.pk}/board/").status_code == 404
    stranger_admin = ResidentFactory(roles=[roles.BUILDING_ADMINISTRATOR], is_staff=True)
    AdministratorFactory(building=BuildingFactory(), resident=stranger_admin)
    assert (
        signed_in(stranger_admin)
        .post(f"/housing/buildings/{building.pk}/board/official/", {"title": "x", "body": "y"})
        .status_code
        == 404
    )
    assert signed_in(owner).get("/housing/admin/board/").status_code == 404


def test_board_forms_leave_validation_to_the_server_in_the_readers_language(building, owner, administrator):
    """Like the site's other forms, the board's post forms carry ``novalidate``: the browser's own
    bubbles ("Please fill out this field") come in the browser's language, not the page's; the
    server's errors are translated and shown next to the field."""
    import re

    for person in (owner, administrator):
        content = signed_in(person).get(f"/housing/buildings/{building.pk}/board/").content.decode()
        forms = re.findall(r"<form\b[^>]*>.*?</form>", content, re.S)
        with_required = [
            form for form in forms if re.search(r"<(input|textarea|select)\b[^>]*\brequired", form)
        ]
        assert with_required
        for form in with_required:
            assert "novalidate" in form[: form.index(">")], form[:200]

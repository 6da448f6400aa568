from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gorod.accounts import roles
from gorod.accounts.models import Address
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.problems import services
from gorod.problems.models import Report
from gorod.problems.tests.conftest import INSIDE, TEST_BOX, TEXT, restore_ledger_data, sign_in_browser
from gorod.problems.tests.factories import OrganisationFactory, TopicFactory, jpeg_bytes, responder_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_refuted_reopened_answered_again_and_confirmed(browser_page, live_server, tmp_path):
    restore_ledger_data()
    page = browser_page
    district = DistrictFactory(code="test-district", name="Test district", boundary=TEST_BOX)
    topic = TopicFactory(code="pothole", name="Pothole in the yard", photo_required=True)
    organisation = OrganisationFactory(code="gbu-yard", name="GBU Yard")
    organisation.topics.add(topic)
    organisation.districts.add(district)
    resident = ResidentFactory(level="full", home_district=district)
    address = Address.objects.create(
        text="ul. Lenina, 5", district=district, latitude=Decimal(INSIDE[0]), longitude=Decimal(INSIDE[1])
    )
    moderator = ResidentFactory(level="full", roles=[roles.MODERATOR], is_staff=True)
    responder = ResidentFactory(level="standard", roles=[roles.ORGANISATION_RESPONDER], is_staff=True)
    responder_of(organisation, responder)
    photo = tmp_path / "pothole.jpg"
    photo.write_bytes(jpeg_bytes(gps=(40.5, 20.5)))

    # The resident files a report with a photo.
    sign_in_browser(page, live_server, resident)
    page.goto("/problems/new/")
    page.get_by_label("Topic").select_option("pothole")
    # the place: an address from the city's register, found by typing part of it
    page.get_by_label("Address").press_sequentially("lenina 5", delay=20)
    suggestion = page.get_by_role("button", name="ul. Lenina, 5 Test district")
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(page.locator("#id_latitude")).to_have_value(INSIDE[0])
    expect(page.locator("#id_longitude")).to_have_value(INSIDE[1])
    expect(page.get_by_label("Address")).to_have_value("ul. Lenina, 5")
    expect(page.get_by_test_id("address-suggestions")).to_have_count(0)
    page.get_by_label("What is wrong?").fill("A deep pothole by the second entrance, cars hit it every day.")
    page.locator("#id_photos").set_input_files(str(photo))
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Your report was sent to moderation.").wait_for()
    report = Report.objects.get()
    assert "in moderation" in page.get_by_test_id("status").inner_text()
    assert report.building_id == address.pk and report.address_text == "ul. Lenina, 5"
    # the report's page shows the place on a map
    expect(page.locator("[data-place-map] .leaflet-marker-icon")).to_have_count(1)

    def moderator_does(button: str) -> None:
        sign_in_browser(page, live_server, moderator)
        page.goto("/problems/moderation/")
        page.get_by_role("button", name=button).click()
        page.locator(".message.success").wait_for()

    def responder_answers(text: str) -> None:
        sign_in_browser(page, live_server, responder)
        page.goto("/problems/queue/")
        page.get_by_role("link", name=f"Answer report #{report.pk}").click()
        page.get_by_label("Answer to the resident").fill(text)
        page.get_by_role("button", name="Send the answer").click()
        page.get_by_text("The answer was sent to moderation.").wait_for()

    def resident_rates(score: str, verdict: str) -> None:
        sign_in_browser(page, live_server, resident)
        page.goto(f"/problems/{report.pk}/")
        page.locator(f"input[name=score][value='{score}']").check()
        page.get_by_label(verdict).check()
        page.get_by_role("button", name="Send the rating").click()
        page.get_by_text("Thank you for your rating.").wait_for()

    moderator_does(f"Accept report #{report.pk}")
    responder_answers("The pothole was patched with asphalt.")
    moderator_does(f"Publish the answer to report #{report.pk}")
    resident_rates("1", "the problem is not solved")
    status = page.get_by_test_id("status").inner_text()
    assert "accepted, in work" in status and "reopened" in status
    report.refresh_from_db()
    assert report.status == "in_work" and report.reopen_count == 1

    responder_answers("The pothole was re-paved properly this time.")
    moderator_does(f"Publish the answer to report #{report.pk}")
    resident_rates("5", "the problem is solved")
    assert "closed" in page.get_by_test_id("status").inner_text()

    # 50 for the accepted report, 10 for each of the two ratings.
    page.goto("/points/")
    assert page.get_by_test_id("available").inner_text() == "70"
    assert "Report #" in page.content()


def test_report_form_picks_the_place_with_the_shared_picker_and_shows_duplicates(browser_page, live_server):
    """The report form's place is the shared picker's (accounts/place_pick.js): a register address
    chosen from the suggestions, or a point clicked on the map; each change of place, and of topic,
    asks for open reports of the topic nearby (problems/duplicates.js)."""
    restore_ledger_data()
    page = browser_page
    district = DistrictFactory(code="test-district", name="Test district", boundary=TEST_BOX)
    bench = TopicFactory(code="bench-broken", name="Broken bench")
    pothole = TopicFactory(code="pothole", name="Pothole")
    organisation = OrganisationFactory(code="gbu-yard", name="GBU Yard")
    organisation.topics.add(bench, pothole)
    organisation.districts.add(district)
    neighbour = ResidentFactory(level="full", home_district=district)
    moderator = ResidentFactory(level="full", roles=[roles.MODERATOR])
    existing = services.report_file(
        author=neighbour,
        topic_code=bench.code,
        latitude=INSIDE[0],
        longitude=INSIDE[1],
        text=TEXT,
        photo_uploads=[],
    )
    services.report_accept(report_id=existing.pk, moderator=moderator)
    address = Address.objects.create(
        text="ul. Lenina, 5", district=district, latitude=Decimal(INSIDE[0]), longitude=Decimal(INSIDE[1])
    )
    resident = ResidentFactory(level="full", home_district=district)

    sign_in_browser(page, live_server, resident)
    page.goto("/problems/new/")
    page.get_by_label("Topic").select_option("bench-broken")
    duplicates = page.locator("#duplicates")
    # a register address chosen from the suggestions: the map zooms to it, the duplicates show
    page.get_by_label("Address").press_sequentially("lenina 5", delay=20)
    page.get_by_role("button", name="ul. Lenina, 5 Test district").click()
    expect(page.locator("#id_address_id")).to_have_value(str(address.pk))
    expect(page.locator("#id_latitude")).to_have_value(INSIDE[0])
    expect(page.locator("#id_longitude")).to_have_value(INSIDE[1])
    expect(duplicates.get_by_role("link", name=f"#{existing.pk} Broken bench")).to_be_visible()
    expect(duplicates).to_contain_text(re.compile(r"Broken bench, \d+ m away: "))  # the page's language
    pick_map = page.locator("#pick-map")
    expect(pick_map.locator(".leaflet-marker-icon")).to_have_count(1)
    # a point clicked on the map (a few metres away at the zoom of an address): no address any more
    box = pick_map.bounding_box()
    assert box is not None
    pick_map.click(position={"x": box["width"] / 2 + 30, "y": box["height"] / 2 - 20})
    expect(page.locator("#id_address_id")).to_have_value("")
    expect(page.locator("#id_latitude")).not_to_have_value(INSIDE[0])
    expect(pick_map).to_have_attribute("data-picked", re.compile(r"^40\.50\d+,20\.50\d+$"))
    expect(duplicates.get_by_role("link", name=f"#{existing.pk} Broken bench")).to_be_visible()
    # another topic: none of it nearby; back to the bench: the report again
    page.get_by_label("Topic").select_option("pothole")
    expect(duplicates.get_by_role("link")).to_have_count(0)
    page.get_by_label("Topic").select_option("bench-broken")
    expect(duplicates.get_by_role("link", name=f"#{existing.pk} Broken bench")).to_be_visible()
    # the form sends the point (latitude and longitude, no address_id)
    page.get_by_label("What is wrong?").fill("The bench by the playground lost two of its boards.")
    page.get_by_label("I have seen the reports nearby and mine is a different problem").check()
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Your report was sent to moderation.").wait_for()
    filed = Report.objects.exclude(pk=existing.pk).get()
    assert filed.building_id is None
    assert abs(float(filed.latitude) - float(INSIDE[0])) < 0.001 and float(filed.latitude) != float(INSIDE[0])

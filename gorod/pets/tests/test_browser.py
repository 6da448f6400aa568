from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.pets import services
from gorod.pets.models import PetNotice
from gorod.pets.tests.conftest import published, sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lost_pet_notice_gets_a_found_pet_suggestion(browser_page, live_server):
    page = browser_page
    DistrictFactory()
    owner = ResidentFactory()
    moderator = ResidentFactory(roles=["moderator"], is_staff=True)
    sign_in_browser(page, live_server, owner)
    page.goto("/pets/new/")
    page.get_by_label("Lost or found").select_option("lost")
    page.get_by_label("Animal").select_option("cat")
    page.get_by_label("Description").fill("Grey tabby cat with a green collar")
    page.get_by_label("Latitude").fill("55.750000")
    page.get_by_label("Longitude").fill("37.600000")
    when = timezone.localtime(timezone.now() - dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("When").fill(when)
    page.get_by_role("button", name="Send for moderation").click()
    assert page.get_by_test_id("status").inner_text() == "awaiting moderation"
    lost = PetNotice.objects.get(author=owner)
    services.notice_moderate(notice_id=lost.pk, moderator=moderator, approve=True)
    published(
        ResidentFactory(), moderator, kind="found", animal="cat", lat="55.7540", lon="37.6040", days_ago=1
    )
    page.reload()
    suggestions = page.get_by_test_id("suggestions")
    assert "Cat" in suggestions.inner_text() and "m away" in suggestions.inner_text()
    suggestions.get_by_role("link").first.click()
    assert "Found: cat" in page.locator("h1").inner_text()

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gorod.accounts.tests.factories import ResidentFactory
from gorod.ideas import services
from gorod.ideas.models import Project, Support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="gorod.accounts.backends.EmailOrPhoneBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_a_resident_supports_an_idea_once(browser_page, live_server):
    page = browser_page
    moderator = ResidentFactory(roles=["moderator"], is_staff=True)
    project = Project.objects.create(title="Parks", topic="Parks", description="Ideas", organisation="Parks")
    idea = services.idea_submit(
        project=project, author=ResidentFactory(), title="More benches", text="Benches"
    )
    services.idea_moderate(idea_id=idea.pk, moderator=moderator, approve=True)
    _sign_in(page, live_server, ResidentFactory())
    page.goto("/ideas/")
    page.get_by_role("link", name="Parks").click()
    page.get_by_role("link", name="More benches").click()
    page.get_by_role("button", name="Support").click()
    expect(page.get_by_text("You support this idea.")).to_be_visible()
    assert page.get_by_role("button", name="Support").count() == 0
    assert Support.objects.filter(idea=idea).count() == 1

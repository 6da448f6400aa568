"""The console links a read-only related object only for a viewer who may open its page: a
moderator's comment page named its discussion as a link to /console/voting/discussion/…/change/,
which answers 403 to a moderator."""

from __future__ import annotations

import pytest
from django.test import Client

from gorod.voting.tests.test_discussions import make_discussion, moderator, operator  # noqa: F401

pytestmark = pytest.mark.django_db


def comment_page(api_client, resident, viewer, operator):  # noqa: F811
    discussion = make_discussion(operator, [resident.home_district])
    created = api_client.post(
        f"/api/v1/discussions/{discussion.pk}/comments",
        {"text": "Keep the lime trees."},
        content_type="application/json",
    )
    client = Client()
    client.force_login(viewer)
    page = client.get(f"/console/voting/discussioncomment/{created.json()['id']}/change/")
    assert page.status_code == 200
    return discussion, page.content.decode(), client


def test_a_moderator_sees_the_discussion_as_text_not_a_link_they_cannot_open(
    api_client,
    resident,
    moderator,  # noqa: F811
    operator,  # noqa: F811
):
    discussion, page, client = comment_page(api_client, resident, moderator, operator)
    target = f"/console/voting/discussion/{discussion.pk}/change/"
    assert client.get(target).status_code == 403
    assert target not in page
    assert discussion.title in page


def test_an_operator_keeps_the_link(api_client, resident, operator):  # noqa: F811
    discussion, page, client = comment_page(api_client, resident, operator, operator)
    target = f"/console/voting/discussion/{discussion.pk}/change/"
    assert target in page and client.get(target).status_code == 200

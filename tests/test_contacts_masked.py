"""Contacts a resident writes into free text never reach other people (issue 9, privacy).

Each kind of resident text is written with a phone number and an e-mail address, then read as
an anonymous visitor and as another resident on the public page and through the API. Where the
app masks at display (ideas, comments, 'other' answers), the author and the moderators still read
the original; where it masks at storage (problem reports, pet notices) nobody does.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gorod.accounts import roles
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.ideas import services as ideas
from gorod.ideas.models import Project
from gorod.pets.tests.conftest import published
from gorod.problems import services as problems
from gorod.problems.models import Report
from gorod.problems.tests.conftest import INSIDE, TEST_BOX
from gorod.problems.tests.factories import OrganisationFactory, TopicFactory
from gorod.voting import mix as services_mix
from gorod.voting import services as voting
from gorod.voting.models import OtherAnswer
from gorod.voting.tests.conftest import answers_for, make_poll

pytestmark = pytest.mark.django_db

PHONE, EMAIL = "+7 916 555-12-34", "ivan.petrov@mail.ru"
# What must not show: the digits and the address, however the page wraps them.
SECRETS = ("555-12-34", "916 555", "ivan.petrov", "mail.ru")
CONTACTS = f"call me {PHONE} or write {EMAIL}"


def _shows_contacts(response: Any) -> bool:
    assert response.status_code == 200, response
    body = response.content.decode()
    return any(secret in body for secret in SECRETS)


@pytest.fixture
def people(db: Any) -> dict[str, Any]:
    district = DistrictFactory()
    return {
        "author": ResidentFactory(level="full", home_district=district),
        "reader": ResidentFactory(level="full", home_district=district),
        "moderator": ResidentFactory(
            level="full", home_district=district, roles=[roles.MODERATOR], is_staff=True
        ),
    }


def _as(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_ideas_and_comments(people):
    author, reader, moderator = people["author"], people["reader"], people["moderator"]
    project = Project.objects.create(title="Parks", topic="Parks", description="x", organisation="Parks Dept")
    idea = ideas.idea_submit(
        project=project, author=author, title=f"Bench, {PHONE}", text=f"Benches. {CONTACTS}"
    )
    ideas.idea_moderate(idea_id=idea.pk, moderator=moderator, approve=True)
    ideas.comment_add(idea_id=idea.pk, author=reader, text=f"Agree, {CONTACTS}")
    for viewer in (None, reader):
        assert not _shows_contacts(_as(viewer).get(f"/ideas/projects/{project.pk}/"))
        assert not _shows_contacts(_as(viewer).get(f"/api/v1/ideas/{idea.pk}"))
        assert not _shows_contacts(_as(viewer).get(f"/api/v1/ideas/projects/{project.pk}/ideas"))
    # The idea page: nobody but the idea's author sees its contacts, nobody but the comment's
    # author sees the comment's; the experts see both.
    anonymous_page = _as(None).get(f"/ideas/{idea.pk}/").content.decode()
    assert not any(secret in anonymous_page for secret in SECRETS)
    author_page = _as(author).get(f"/ideas/{idea.pk}/").content.decode()
    assert f"Benches. call me {PHONE}" in author_page and f"Agree, call me {PHONE}" not in author_page
    reader_page = _as(reader).get(f"/ideas/{idea.pk}/").content.decode()
    assert f"Agree, call me {PHONE}" in reader_page and f"Benches. call me {PHONE}" not in reader_page
    moderator_page = _as(moderator).get(f"/ideas/{idea.pk}/").content.decode()
    assert f"Benches. call me {PHONE}" in moderator_page and f"Agree, call me {PHONE}" in moderator_page
    assert PHONE in _as(author).get(f"/api/v1/ideas/{idea.pk}").json()["text"]


def test_other_answers_of_a_poll(people):
    poll = make_poll(live=True)
    voting.ballot_cast(poll_id=poll.pk, resident=people["author"], answers=answers_for(poll, other=CONTACTS))
    services_mix.ballots_mix(poll_id=poll.pk, final=True)  # "other" texts arrive with the mix
    answer = OtherAnswer.objects.get(poll=poll)
    voting.other_answer_moderate(answer_id=answer.pk, approve=True, actor=people["moderator"])
    voting.poll_close(poll_id=poll.pk)  # live results of an open poll wait for one's own vote
    for viewer in (None, people["reader"], people["author"]):
        page = _as(viewer).get(f"/voting/polls/{poll.pk}/")
        assert "call me" in page.content.decode() and not _shows_contacts(page)
        assert not _shows_contacts(_as(viewer).get(f"/api/v1/polls/{poll.pk}/results"))


def test_problem_reports_and_their_duplicate_lookup(people):
    district = DistrictFactory(code="mask-box", boundary=TEST_BOX)
    topic = TopicFactory(code="mask-bench")
    organisation = OrganisationFactory()
    organisation.topics.add(topic)
    organisation.districts.add(district)
    report = problems.report_file(
        author=people["author"],
        topic_code=topic.code,
        latitude=INSIDE[0],
        longitude=INSIDE[1],
        text=f"The bench by the gate is broken, {CONTACTS}",
    )
    problems.report_accept(report_id=report.pk, moderator=people["moderator"])
    # A row stored before the shared rule (a local number the old rule let through) is masked
    # on the way out as well.
    Report.objects.filter(pk=report.pk).update(text="The bench by the gate is broken, home 555-12-34")
    lookup = f"/api/v1/problems/duplicates?topic={topic.code}&latitude={INSIDE[0]}&longitude={INSIDE[1]}"
    for viewer in (None, people["reader"]):
        found = _as(viewer).get(lookup)
        assert found.json() and not _shows_contacts(found)
        assert not _shows_contacts(_as(viewer).get(f"/problems/{report.pk}/"))
        assert not _shows_contacts(_as(viewer).get(f"/api/v1/problems/reports/{report.pk}"))


def test_pet_notices(people):
    notice = published(people["author"], people["moderator"], text=f"Grey cat, {CONTACTS}")
    for viewer in (None, people["reader"], people["author"]):
        assert not _shows_contacts(_as(viewer).get(f"/pets/{notice.pk}/"))
        assert not _shows_contacts(_as(viewer).get("/pets/"))
        assert not _shows_contacts(_as(viewer).get(f"/api/v1/pets/notices/{notice.pk}"))

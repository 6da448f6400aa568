from __future__ import annotations

import pytest

from gorod.accounts import demo as accounts_demo
from gorod.voting import demo
from gorod.voting.models import Ballot, Decision, Poll

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_covers_every_stage():
    accounts_demo.seed()
    demo.seed()
    counts = (Poll.objects.count(), Ballot.objects.count(), Decision.objects.count())
    demo.seed()
    assert (Poll.objects.count(), Ballot.objects.count(), Decision.objects.count()) == counts
    statuses = set(Poll.objects.values_list("status", flat=True))
    assert {"open", "published", "archived"} <= statuses
    assert Decision.objects.filter(status="done").exists()
    assert Decision.objects.filter(poll__status="archived").exists()
    published = Poll.objects.get(title=demo.CLOSED_TITLE)
    assert published.ballot_count == 20 and published.results["districts"]  # 12 neighbours in one district

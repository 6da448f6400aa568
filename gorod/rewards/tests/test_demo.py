from __future__ import annotations

import pytest

from gorod.accounts import demo as accounts_demo
from gorod.accounts.models import Resident
from gorod.rewards import demo
from gorod.rewards.models import PartnerStaff, PromoCode, Reward, RewardKind

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_has_every_kind():
    accounts_demo.seed()
    demo.seed()
    counts = (Reward.objects.count(), PromoCode.objects.count())
    demo.seed()
    assert (Reward.objects.count(), PromoCode.objects.count()) == counts
    assert set(Reward.objects.values_list("kind", flat=True)) == set(RewardKind.values)
    assert (
        PartnerStaff.objects.get(resident=Resident.objects.get(username="partner")).partner.name
        == "Moscow Souvenirs"
    )

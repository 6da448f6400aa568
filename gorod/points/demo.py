"""Demo ledger history: a few earnings for the demo residents, idempotent by source key."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from gorod.accounts.models import Resident
from gorod.points import services


@transaction.atomic
def seed() -> None:
    for resident in Resident.objects.filter(username__in=["anna", "boris", "vera", "gleb"]):
        for n in range(3):
            services.award(
                resident=resident,
                programme="active_citizen",
                action="vote",
                source_key=f"demo:vote:{resident.username}:{n}",
                memo=gettext_noop("Demo city history"),
            )
        services.award(
            resident=resident,
            programme="electronic_home",
            action="meter_reading",
            source_key=f"demo:reading:{resident.username}",
            memo=gettext_noop("Demo city history"),
        )

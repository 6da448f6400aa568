"""Demo building board (a pinned emergency, a published and a waiting announcement), through the
services. Idempotent: seeded once."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from gorod.accounts.models import Resident
from gorod.housing.board import services as services_board
from gorod.housing.models import Announcement, Building


@transaction.atomic
def seed_board(building: Building, people: dict[str, Resident]) -> None:
    # The meetings seeded before put their notices on the board: look for this seed's own one.
    if Announcement.objects.filter(building=building, emergency=True).exists():
        return
    administrator = people["housing"]
    services_board.announcement_official_post(
        building=building,
        actor=administrator,
        title=gettext_noop("Hot water off on Thursday"),
        body=gettext_noop(
            "The riser is being repaired: no hot water from 10:00 to 18:00. "
            "Emergency dispatcher: +7 495 539-53-53."
        ),
        emergency=True,
    )
    services_board.announcement_official_post(
        building=building,
        actor=administrator,
        title=gettext_noop("Staircase cleaning"),
        body=gettext_noop("Staircases are washed on Mondays; please keep the landings clear."),
    )
    lost_cat = services_board.announcement_post(
        building=building,
        author=people["anna"],
        title=gettext_noop("Found a grey cat at entrance 2"),
        body=gettext_noop(
            "A friendly grey cat with a blue collar is with me in flat 5. "
            "Call +7 916 555-12-34 or write to anna.petrova@example.com."
        ),
    )
    services_board.announcement_approve(announcement=lost_cat, actor=administrator)
    if "gleb" in people:
        services_board.announcement_post(
            building=building,
            author=people["gleb"],
            title=gettext_noop("A bicycle rack in the courtyard?"),
            body=gettext_noop(
                "Shall we ask the management organisation for a bicycle rack next to entrance 1?"
            ),
        )

"""Demo pet notices: anna lost a cat near Arbat; gleb found one 500 m away (a suggestion for
anna); boris found a dog in Tverskoy; vera's notice waits for moderation. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts.models import Resident
from gorod.pets import services
from gorod.pets.models import PetNotice

NOTICES = [
    # author, kind, animal, description, lat, lon, days ago, publish
    (
        "anna",
        "lost",
        "cat",
        gettext_noop("Grey tabby cat Murka, green collar, very shy. Please write to me here."),
        "55.7500",
        "37.5900",
        3,
        True,
    ),
    (
        "gleb",
        "found",
        "cat",
        gettext_noop("Found a grey tabby cat with a green collar in our courtyard; she is safe with me."),
        "55.7530",
        "37.5960",
        1,
        True,
    ),
    (
        "boris",
        "found",
        "dog",
        gettext_noop("Small brown dog without a collar near Pushkinskaya, friendly."),
        "55.7650",
        "37.6060",
        2,
        True,
    ),
    (
        "vera",
        "lost",
        "dog",
        gettext_noop("White Samoyed, answers to Snezhok. Please write to me here."),
        "55.8020",
        "37.5300",
        0,
        False,
    ),
]


def seed() -> None:
    people = {
        r.username: r
        for r in Resident.objects.filter(username__in=["anna", "gleb", "boris", "vera", "moderator"])
    }
    if len(people) < 5:
        return
    now = timezone.now()
    for author, kind, animal, text, lat, lon, days, publish in NOTICES:
        if PetNotice.objects.filter(author=people[author], kind=kind, animal=animal).exists():
            continue
        notice = services.notice_create(
            author=people[author],
            kind=kind,
            animal=animal,
            description=text,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            seen_at=now - dt.timedelta(days=days, hours=2),
        )
        if publish:
            services.notice_moderate(notice_id=notice.pk, moderator=people["moderator"], approve=True)

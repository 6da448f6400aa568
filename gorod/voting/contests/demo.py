"""Demo photo contest: open for photos and votes, with published photos of three residents and a
photo waiting for moderation. Idempotent: looked up by title."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from django.utils.translation import gettext_noop
from PIL import Image, ImageDraw

from gorod.accounts.models import Resident
from gorod.voting.contests import services
from gorod.voting.contests.models import PhotoContest

OPEN_TITLE = gettext_noop("Autumn in my district")

# (author, title, sky colour, ground colour, published)
ENTRIES = [
    ("gleb", gettext_noop("Maples on Arbat"), (250, 200, 120), (190, 80, 30), True),
    ("boris", gettext_noop("Tverskoy Boulevard in the rain"), (150, 170, 190), (90, 110, 80), True),
    ("housing", gettext_noop("First frost in the courtyard"), (210, 225, 240), (240, 240, 245), True),
    ("moderator", gettext_noop("Leaves in Neskuchny Garden"), (240, 210, 150), (160, 120, 40), False),
]


def demo_photo(sky: tuple[int, int, int], ground: tuple[int, int, int]) -> io.BytesIO:
    image = Image.new("RGB", (640, 420), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 280, 640, 420), fill=ground)
    draw.ellipse((470, 40, 560, 130), fill=(255, 240, 200))
    for x in range(60, 600, 140):
        draw.rectangle((x + 20, 200, x + 32, 290), fill=(90, 60, 40))
        draw.ellipse((x - 10, 130, x + 62, 220), fill=ground)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    out.seek(0)
    return out


def seed() -> None:
    operator = Resident.objects.filter(username="operator").first()
    moderator = Resident.objects.filter(username="moderator").first() or operator
    if operator is None or moderator is None or PhotoContest.objects.filter(title=OPEN_TITLE).exists():
        return
    now = timezone.now()
    contest = services.contest_create(
        title=OPEN_TITLE,
        theme=gettext_noop(
            "Show autumn where you live: trees, courtyards, streets. One resident may send up to three photos."
        ),
        uploads_open_at=now - dt.timedelta(days=5),
        uploads_close_at=now + dt.timedelta(days=10),
        voting_open_at=now - dt.timedelta(days=2),
        voting_close_at=now + dt.timedelta(days=14),
        winner_points=2000,
        actor=operator,
    )
    published = []
    for username, title, sky, ground, publish in ENTRIES:
        author = Resident.objects.filter(username=username).first()
        if author is None:
            continue
        photo = services.photo_submit(
            contest_id=contest.pk, resident=author, upload=demo_photo(sky, ground), title=title
        )
        if publish:
            services.photo_moderate(photo_id=photo.pk, moderator=moderator, publish=True)
            published.append(photo)
    voters = Resident.objects.filter(username__in=["boris", "gleb", "housing"])
    for voter in voters:
        for photo in published:
            if photo.author_id != voter.pk:
                services.photo_vote(photo_id=photo.pk, resident=voter)

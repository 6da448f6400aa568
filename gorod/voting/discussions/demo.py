"""Demo public discussions: one open (published comments, one answered, one pending, one
rejected), one finished with its final report. Idempotent: looked up by title."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from django.utils.translation import gettext_noop
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from gorod.accounts.models import District, Resident
from gorod.voting.discussions import rules as discussion_rules
from gorod.voting.discussions import services
from gorod.voting.discussions.models import Discussion

OPEN_TITLE = gettext_noop("Pedestrian side streets around Arbat")
FINISHED_TITLE = gettext_noop("New lighting on Tverskoy Boulevard")


def pdf_of(title: str) -> bytes:
    """A small valid PDF titled ``title`` (the demo's documents; tests upload it too)."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setTitle(title)
    page.drawString(72, 770, title)
    page.drawString(72, 750, gettext_noop("Explanatory note (demo document)."))
    page.showPage()
    page.save()
    return out.getvalue()


def _document(title: str) -> discussion_rules.CheckedDocument:
    return discussion_rules.check_document(io.BytesIO(pdf_of(title)), title=title)


def _comment(discussion: Discussion, username: str, text: str) -> int | None:
    author = Resident.objects.filter(username=username).first()
    if author is None or author.home_district_id is None:
        return None
    if not discussion.districts.filter(pk=author.home_district_id).exists():
        return None
    return services.comment_submit(discussion_id=discussion.pk, resident=author, text=text).pk


def seed() -> None:
    operator = Resident.objects.filter(username="operator").first()
    moderator = Resident.objects.filter(username="moderator").first() or operator
    districts = {d.code: d for d in District.objects.filter(code__in=["arbat", "khamovniki", "tverskoy"])}
    if operator is None or moderator is None or len(districts) < 3:
        return
    now = timezone.now()
    if not Discussion.objects.filter(title=OPEN_TITLE).exists():
        discussion = services.discussion_create(
            title=OPEN_TITLE,
            description=(
                gettext_noop(
                    "The city proposes to make three side streets between Arbat and Prechistenka "
                    "pedestrian, with trees, benches and delivery hours for shops."
                )
            ),
            opens_at=now - dt.timedelta(days=3),
            closes_at=now + dt.timedelta(days=14),
            districts=[districts["arbat"], districts["khamovniki"]],
            location={"type": "Point", "coordinates": [37.5940, 55.7480]},
            documents=[_document(gettext_noop("Plan of the pedestrian streets"))],
            actor=operator,
        )
        first = _comment(
            discussion, "gleb", gettext_noop("Please keep a passage for residents' cars at night.")
        )
        if first is not None:
            services.comment_moderate(comment_id=first, moderator=moderator, publish=True)
            services.comment_respond(
                comment_id=first,
                operator=operator,
                text=gettext_noop("Residents' cars will be let in from 22:00 to 07:00 with a pass."),
            )
        second = _comment(
            discussion,
            "housing",
            gettext_noop("More benches in the shade, please. Call me on +7 916 123-45-67."),
        )
        if second is not None:
            services.comment_moderate(comment_id=second, moderator=moderator, publish=True)
        third = _comment(discussion, "moderator", gettext_noop("A playground would be nice too."))
        rejected = _comment(
            discussion, "anna", gettext_noop("When will the old tram line on Arbat come back?")
        )
        if rejected is not None:
            services.comment_moderate(
                comment_id=rejected,
                moderator=moderator,
                publish=False,
                reason=gettext_noop("Off topic: this discussion is about the side streets."),
            )
        del third  # left pending for the moderation queue

    if not Discussion.objects.filter(title=FINISHED_TITLE).exists():
        discussion = services.discussion_create(
            title=FINISHED_TITLE,
            description=gettext_noop(
                "New lamps along Tverskoy Boulevard, warmer light and fewer dark spots."
            ),
            opens_at=now - dt.timedelta(days=40),
            closes_at=now + dt.timedelta(days=1),
            districts=[districts["tverskoy"]],
            location={
                "type": "Polygon",
                "coordinates": [
                    [
                        [37.5990, 55.7580],
                        [37.6060, 55.7640],
                        [37.6070, 55.7635],
                        [37.6000, 55.7575],
                        [37.5990, 55.7580],
                    ]
                ],
            },
            documents=[_document(gettext_noop("Lighting plan"))],
            actor=operator,
        )
        for username, text, answer in [
            (
                "boris",
                gettext_noop("Warm light please, the current lamps are too blue."),
                gettext_noop("The new lamps are 3000 K."),
            ),
            (
                "responder",
                gettext_noop("Light the side paths too, not only the main alley."),
                gettext_noop("Side paths get lamps as well."),
            ),
        ]:
            comment_id = _comment(discussion, username, text)
            if comment_id is not None:
                services.comment_moderate(comment_id=comment_id, moderator=moderator, publish=True)
                services.comment_respond(comment_id=comment_id, operator=operator, text=answer)
        # The demo needs a finished discussion with comments: comments are only taken inside the
        # window, so the window is closed after they were written.
        Discussion.objects.filter(pk=discussion.pk).update(closes_at=now - dt.timedelta(days=10))

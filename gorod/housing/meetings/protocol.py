"""The protocol of an owners' general meeting as a PDF (reportlab).

Text uses DejaVu Sans when the system has it (Cyrillic owner names and the Russian catalogue);
otherwise reportlab's built-in Helvetica.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape  # reportlab reads its own markup: &, < and > only

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gorod.core.time import to_city
from gorod.housing.meetings.rules import MeetingResult, legal_basis, percent
from gorod.housing.models import Meeting, MeetingBallot, RegisterEntry, Threshold

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
]


@lru_cache(maxsize=1)
def _font() -> str:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            pdfmetrics.registerFont(TTFont("GorodSans", candidate))
            return "GorodSans"
    return "Helvetica"


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    font = _font()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], fontName=font, fontSize=15),
        "h": ParagraphStyle("h", parent=base["Heading2"], fontName=font, fontSize=12),
        "p": ParagraphStyle("p", parent=base["BodyText"], fontName=font, fontSize=9.5, leading=12),
    }


def _votes(value: object) -> str:
    """Votes (m² × share) for the protocol: exact when whole, else 2 places rounded half up."""
    from decimal import ROUND_HALF_UP, Decimal
    from fractions import Fraction

    fraction = value if isinstance(value, Fraction) else Fraction(str(value))
    if fraction.denominator == 1:
        return str(fraction.numerator)
    exact = Decimal(fraction.numerator) / Decimal(fraction.denominator)
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _initiator(meeting: Meeting) -> str:
    if meeting.by_management:
        organisation = meeting.building.management_organisation or _("the management organisation")
        return _("Called by the management organisation: %(organisation)s.") % {"organisation": organisation}
    return _("Called by the owner: %(name)s") % {"name": meeting.initiator.public_name}


def protocol_pdf(meeting: Meeting, result: MeetingResult) -> bytes:
    styles = _styles()
    font = _font()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, title=meeting.title)
    total = result.total
    story = [
        Paragraph(_("Protocol of the owners' general meeting"), styles["title"]),
        Paragraph(escape(f"{meeting.building.address}: {meeting.title}"), styles["p"]),
        Paragraph(escape(_initiator(meeting)), styles["p"]),
        Paragraph(
            escape(
                _("Form: %(form)s. Notice published %(notice)s; voting from %(start)s to %(end)s.")
                % {
                    "form": meeting.get_form_display(),
                    "notice": date_format(to_city(meeting.notice_at), "DATE_FORMAT"),
                    "start": date_format(to_city(meeting.starts_at), "DATETIME_FORMAT"),
                    "end": date_format(to_city(meeting.ends_at), "DATETIME_FORMAT"),
                }
            ),
            styles["p"],
        ),
        Paragraph(
            _(
                "All votes (total area of the premises, m²): %(total)s. Votes taking part: %(part)s (%(pct)s%%)."
            )
            % {
                "total": _votes(total),
                "part": _votes(result.participating),
                "pct": percent(result.participating, total),
            },
            styles["p"],
        ),
        Paragraph(
            _("Quorum: present (more than half of all votes took part).")
            if result.quorum
            else _("Quorum: absent; the meeting could not take decisions."),
            styles["p"],
        ),
        Spacer(1, 4 * mm),
        Paragraph(_("Agenda and decisions"), styles["h"]),
    ]
    thresholds = dict(Threshold.choices)
    questions = {q.pk: q for q in meeting.questions.all()}
    rows = [[_("No."), _("Question"), _("For"), _("Against"), _("Abstain"), _("Threshold"), _("Decision")]]
    for q in result.questions:
        question = questions[q.question_id]
        rows.append(
            [
                str(question.position),
                Paragraph(escape(question.subject), styles["p"]),
                f"{_votes(q.votes_for)}\n{percent(q.votes_for, total)}%",
                f"{_votes(q.votes_against)}\n{percent(q.votes_against, total)}%",
                f"{_votes(q.votes_abstain)}\n{percent(q.votes_abstain, total)}%",
                Paragraph(str(thresholds.get(q.threshold, q.threshold)), styles["p"]),
                _("adopted") if q.adopted else _("not adopted"),
            ]
        )
    table = Table(
        rows, colWidths=[9 * mm, 56 * mm, 20 * mm, 20 * mm, 20 * mm, 32 * mm, 20 * mm], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 8.5),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 3 * mm), Paragraph(_("Legal basis of the thresholds"), styles["h"])]
    for threshold in dict.fromkeys(q.threshold for q in result.questions):
        story.append(
            Paragraph(
                escape(f"{thresholds.get(threshold, threshold)}: {legal_basis(threshold)}"), styles["p"]
            )
        )
    story += [PageBreak(), Paragraph(_("Attachment: register of participants"), styles["h"])]
    voted = dict(
        MeetingBallot.objects.filter(entry__meeting=meeting).values_list("entry_id", "paper").distinct()
    )
    register = [[_("Premise"), _("Owner"), pgettext("number of votes", "Votes"), _("Ballot")]]
    for entry in RegisterEntry.objects.filter(meeting=meeting, pk__in=voted.keys()).select_related("premise"):
        register.append(
            [
                entry.premise.number,
                Paragraph(escape(entry.owner_name), styles["p"]),
                _votes(entry.weight),
                _("paper") if voted[entry.pk] else _("electronic"),
            ]
        )
    attachment = Table(register, colWidths=[20 * mm, 90 * mm, 30 * mm, 30 * mm], repeatRows=1)
    attachment.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), font, 8.5), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey)])
    )
    story += [
        attachment,
        Spacer(1, 4 * mm),
        Paragraph(
            _("Generated %(when)s.")
            % {"when": date_format(to_city(meeting.finished_at or timezone.now()), "DATETIME_FORMAT")},
            styles["p"],
        ),
    ]
    doc.build(story)
    return buffer.getvalue()

"""Owners' meeting pages: agenda, electronic ballot, results and the protocol."""

from __future__ import annotations

import io
from fractions import Fraction

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.housing import permissions
from gorod.housing.meetings import selectors as selectors_meetings
from gorod.housing.meetings import services
from gorod.housing.meetings.rules import legal_basis, percent
from gorod.housing.models import AgendaQuestion, Choice, Meeting, MeetingForm, MeetingStatus, Threshold


def _answers(request: HttpRequest, questions: list[AgendaQuestion]) -> dict[int, str]:
    return {q.pk: request.POST.get(f"question_{q.pk}", "") for q in questions}


def _chosen_entries(request: HttpRequest, lines: list[selectors_meetings.BallotLine]) -> list[int]:
    open_ids = {line.entry_id for line in lines if not line.voted}
    chosen = {int(v) for v in request.POST.getlist("entry") if v.isdigit()}
    return sorted(chosen & open_ids) if chosen else sorted(open_ids)


def _result_rows(meeting: Meeting, questions: list[AgendaQuestion]) -> list[dict[str, object]]:
    if meeting.status != MeetingStatus.FINISHED or not meeting.result:
        return []
    by_id = {q.pk: q for q in questions}
    thresholds = dict(Threshold.choices)
    total = meeting.total_votes or Fraction(0)
    rows = []
    for row in meeting.result["questions"]:
        question = by_id.get(row["question_id"])
        if question is not None:
            rows.append(
                {
                    **row,  # first: its raw "threshold" code gives way to the label below
                    "question": question,
                    "threshold": thresholds[row["threshold"]],
                    "legal_basis": legal_basis(row["threshold"]),
                    "for_percent": percent(Fraction(row["for"]), total),
                }
            )
    return rows


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The agenda with each threshold and its legal basis, then a two-step ballot: choose the
    answers (and, for a proxy, the premises), review what the ballot covers and its weight,
    confirm."""
    me = resident_of(request)
    try:
        meeting = selectors_meetings.meeting_for(me, meeting_id)
    except DomainError as exc:
        raise Http404(exc.text) from None
    now = timezone.now()
    is_open = meeting.starts_at <= now < meeting.ends_at
    if is_open and meeting.register_frozen_at is None:
        meeting = services.meeting_start(meeting=meeting, now=now)
    questions = list(meeting.questions.all())
    lines = selectors_meetings.ballot_lines(meeting, me) if is_open else []
    error = ""
    review = None
    if request.method == "POST":
        answers = _answers(request, questions)
        entry_ids = _chosen_entries(request, lines)
        try:
            if request.POST.get("step") == "confirm":
                services.ballot_cast(
                    meeting=meeting,
                    resident=me,
                    answers=answers,
                    entry_ids=entry_ids or None,
                )
            else:
                services.ballot_check(meeting=meeting, resident=me, answers=answers)
                chosen = set(entry_ids)
                review = {
                    "answers": [(q, dict(Choice.choices).get(answers[q.pk], "")) for q in questions],
                    "raw_answers": answers,
                    "lines": [line for line in lines if line.entry_id in chosen],
                    "weight": sum((line.weight for line in lines if line.entry_id in chosen), Fraction(0)),
                }
        except DomainError as exc:
            error = exc.text
        else:
            if review is None:
                messages.success(request, _("Your vote was recorded."))
                return redirect("housing:meeting", meeting_id=meeting.pk)
    return render(
        request,
        "housing/meeting.html",
        {
            "meeting": meeting,
            "questions": [(q, legal_basis(q.threshold)) for q in questions],
            "choices": Choice.choices,
            "open": is_open,
            "electronic": meeting.form == MeetingForm.ELECTRONIC,
            "lines": lines,
            "open_lines": [line for line in lines if not line.voted],
            "voted": (bool(lines) and all(line.voted for line in lines))
            or (not lines and selectors_meetings.has_voted(me, meeting)),
            "review": review,
            "recorded": selectors_meetings.recorded_ballots(meeting, me)
            if any(line.voted for line in lines)
            else [],
            "error": error,
            "result_rows": _result_rows(meeting, questions),
            "materials": list(meeting.materials.all()),
            "administers": permissions.administers(me, meeting.building_id),
        },
        status=422 if error else 200,
    )


@login_required
def meeting_material(request: HttpRequest, meeting_id: int, material_id: int) -> FileResponse:
    try:
        meeting = selectors_meetings.meeting_for(resident_of(request), meeting_id)
    except DomainError as exc:
        raise Http404(exc.text) from None
    material = meeting.materials.filter(pk=material_id).first()
    if material is None:
        raise Http404
    return FileResponse(material.file.open("rb"), as_attachment=True, filename=material.title)


@login_required
def meeting_protocol(request: HttpRequest, meeting_id: int) -> FileResponse:
    try:
        meeting = selectors_meetings.meeting_for(resident_of(request), meeting_id)
    except DomainError as exc:
        raise Http404(exc.text) from None
    if not meeting.protocol or not meeting.result:
        raise Http404
    # The file kept at the finish is the record; the reader gets the same protocol, printed from
    # the stored result in the language they chose (issue 23).
    from gorod.housing.meetings.protocol import protocol_pdf
    from gorod.housing.meetings.rules import MeetingResult

    pdf = protocol_pdf(meeting, MeetingResult.from_json(meeting.result))
    return FileResponse(
        io.BytesIO(pdf), content_type="application/pdf", filename=f"protocol-{meeting.pk}.pdf"
    )

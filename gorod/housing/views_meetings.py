"""Owners' meeting pages: agenda, electronic ballot, results and the protocol."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gorod.core.errors import DomainError
from gorod.housing import selectors_meetings
from gorod.housing import services_meetings as services
from gorod.housing.models import Choice, MeetingStatus, Threshold


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    me = request.user
    try:
        meeting = selectors_meetings.meeting_for(me, meeting_id)  # type: ignore[arg-type]
    except DomainError as exc:
        raise Http404(exc.text) from None
    questions = list(meeting.questions.all())
    error = ""
    if request.method == "POST":
        answers = {q.pk: request.POST.get(f"question_{q.pk}", "") for q in questions}
        try:
            services.ballot_cast(meeting=meeting, resident=me, answers=answers)  # type: ignore[arg-type]
        except DomainError as exc:
            error = exc.text
        else:
            messages.success(request, _("Your vote was recorded."))
            return redirect("housing:meeting", meeting_id=meeting.pk)
    now = timezone.now()
    result_rows = []
    if meeting.status == MeetingStatus.FINISHED and meeting.result:
        by_id = {q.pk: q for q in questions}
        thresholds = dict(Threshold.choices)
        for row in meeting.result["questions"]:
            question = by_id.get(row["question_id"])
            if question is not None:
                result_rows.append({"question": question, "threshold": thresholds[row["threshold"]], **row})
    return render(
        request,
        "housing/meeting.html",
        {
            "meeting": meeting,
            "questions": questions,
            "choices": Choice.choices,
            "open": meeting.starts_at <= now < meeting.ends_at,
            "voted": selectors_meetings.has_voted(me, meeting),  # type: ignore[arg-type]
            "error": error,
            "result_rows": result_rows,
        },
        status=422 if error else 200,
    )


@login_required
def meeting_protocol(request: HttpRequest, meeting_id: int) -> FileResponse:
    try:
        meeting = selectors_meetings.meeting_for(request.user, meeting_id)  # type: ignore[arg-type]
    except DomainError as exc:
        raise Http404(exc.text) from None
    if not meeting.protocol:
        raise Http404
    return FileResponse(
        meeting.protocol.open("rb"), content_type="application/pdf", filename=f"protocol-{meeting.pk}.pdf"
    )

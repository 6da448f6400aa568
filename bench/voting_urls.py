"""The real site's URLs plus ``/bench/bare-ballot/<poll>``: a bare Django view that inserts the
same rows a ballot writes (participation, ballot, two picks) with no auth, checks or points."""

from __future__ import annotations

import json
import uuid

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as site_urlpatterns
from gorod.voting.models import Ballot, BallotChoice, Participation


@csrf_exempt
def bare_ballot(request: HttpRequest, poll_id: int) -> JsonResponse:
    body = json.loads(request.body)
    now = timezone.now()
    with transaction.atomic():
        Participation.objects.create(poll_id=poll_id, resident_id=body["resident_id"], voted_on=now.date())
        ballot = Ballot.objects.create(
            poll_id=poll_id,
            receipt_hash=uuid.uuid4().hex + uuid.uuid4().hex,
            choices=body["choices"],
            district_id=body["district_id"],
            cast_hour=now.replace(minute=0, second=0, microsecond=0),
        )
        BallotChoice.objects.bulk_create(
            BallotChoice(
                ballot=ballot, poll_id=poll_id, question_id=q, option_id=o, district_id=body["district_id"]
            )
            for q, o in body["picks"]
        )
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [path("bench/bare-ballot/<int:poll_id>", bare_ballot), *site_urlpatterns]

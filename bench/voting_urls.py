"""The real site's URLs plus ``/bench/bare-ballot/<poll>``: a bare Django view that inserts the
same rows a vote writes (participation and a pending ballot of the sealed size, random bytes in
place of the sealing) with no auth, checks, sealing or points."""

from __future__ import annotations

import json
import os

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as site_urlpatterns
from gorod.voting.models import Participation, PendingBallot


@csrf_exempt
def bare_ballot(request: HttpRequest, poll_id: int) -> JsonResponse:
    body = json.loads(request.body)
    now = timezone.now()
    with transaction.atomic():
        Participation.objects.create(poll_id=poll_id, resident_id=body["resident_id"], voted_on=now.date())
        PendingBallot.objects.create(poll_id=poll_id, sealed=os.urandom(12 + 1024 + 16))
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [path("bench/bare-ballot/<int:poll_id>", bare_ballot), *site_urlpatterns]

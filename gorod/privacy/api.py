from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from gorod.accounts.edge import resident_of
from gorod.accounts.models import Resident
from gorod.privacy import rules, selectors, services

API_PREFIX = "/me"
router = Router(tags=["me"])


class EraseIn(Schema):
    password: str
    confirm: str


class ErasedOut(Schema):
    erased: bool


@router.get("/export", summary="Download all my data (JSON)", response={200: dict})
def export(request: HttpRequest) -> HttpResponse:
    resident: Resident = resident_of(request)
    response = HttpResponse(selectors.personal_data_json(resident), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="gorod-my-data.json"'
    return response


@router.post("/erase", response=ErasedOut, summary="Delete my account (personal data erased)")
def erase(request: HttpRequest, body: EraseIn) -> ErasedOut:
    resident: Resident = resident_of(request)
    rules.check_erase_confirmation(resident=resident, password=body.password, confirm=body.confirm)
    services.resident_erase(resident=resident)
    return ErasedOut(erased=True)

"""A resident's own data, as JSON: everything any app keeps that points at them.

Found generically (every model with a foreign key to the resident), so that an app added later
is exported without a change here; secrets (password and token hashes, stored API answers) are
left out. The points statement comes from the ledger. Ballots are not included: no ballot links
to its voter (that is the point); the resident's participations (which polls they voted in) are.
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gorod.accounts.models import Resident
from gorod.points.models import AccountKind, LedgerAccount, Transfer

# Fields never exported: credentials, hashes, stored raw responses.
SECRET_FIELDS = {"password", "digest", "request_hash", "body", "code_hash", "token_hash"}
PROFILE_FIELDS = [
    "id",
    "username",
    "first_name",
    "last_name",
    "email",
    "phone",
    "level",
    "home_district_id",
    "consents_to_notifications",
    "date_joined",
    "last_login",
]


def _relations_to_residents() -> list[tuple[type[models.Model], str]]:
    resident_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = []
    for model in apps.get_models():
        if model is resident_model or model is LedgerAccount:
            continue
        for field in model._meta.get_fields():
            if (
                field.concrete
                and (field.many_to_one or field.one_to_one)
                and field.related_model is resident_model
            ):
                found.append((model, field.name))
    return found


def _rows(model: type[models.Model], field: str, resident: Resident) -> list[dict[str, Any]]:
    names = [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in SECRET_FIELDS and not isinstance(f, models.BinaryField)
    ]
    return list(model._default_manager.filter(**{field: resident}).order_by("pk").values(*names))


def personal_data(resident: Resident) -> dict[str, Any]:
    profile = {name: getattr(resident, name) for name in PROFILE_FIELDS}
    records: dict[str, list[dict[str, Any]]] = {}
    for model, field in _relations_to_residents():
        rows = _rows(model, field, resident)
        if rows:
            records.setdefault(f"{model._meta.label} ({field})", []).extend(rows)
    wallet = LedgerAccount.objects.filter(kind=AccountKind.WALLET, resident=resident).first()
    ledger: dict[str, Any] = {"balance": 0, "held": 0, "transfers": []}
    if wallet is not None:
        ledger["balance"] = wallet.balance
        ledger["held"] = wallet.held
        ledger["transfers"] = [
            {
                "id": t["id"],
                "at": t["created_at"],
                "amount": t["amount"] if t["credit_id"] == wallet.pk else -t["amount"],
                "programme": t["programme__code"],
                "reason": t["reason"],
                "source_key": t["source_key"],
                "memo": t["memo"],
            }
            for t in Transfer.objects.filter(Q(debit=wallet) | Q(credit=wallet))
            .order_by("pk")
            .values(
                "id", "created_at", "amount", "credit_id", "programme__code", "reason", "source_key", "memo"
            )
        ]
    return {
        "exported_at": timezone.now(),
        "profile": profile,
        "points": ledger,
        "records": records,
    }


def personal_data_json(resident: Resident) -> str:
    return json.dumps(personal_data(resident), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)

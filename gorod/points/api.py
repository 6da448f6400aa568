from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from gorod.accounts.edge import resident_of
from gorod.accounts.models import Resident
from gorod.points import selectors

API_PREFIX = "/points"
router = Router(tags=["points"])


class BalanceOut(Schema):
    balance: int
    held: int
    available: int
    is_debt: bool


class StatementLineOut(Schema):
    id: int
    created_at: dt.datetime
    amount: int
    service: str
    reason: str
    memo: str
    reverses_id: int | None


class StatementOut(Schema):
    lines: list[StatementLineOut]
    next_cursor: int | None


class StatementQuery(Schema):
    cursor: int | None = Field(None, ge=1, le=2**62)
    limit: int = Field(25, ge=1, le=100)


class RuleOut(Schema):
    programme: str
    programme_name: str
    action: str
    name: str
    description: str
    version: int
    amount_simplified: int
    amount_standard: int
    amount_full: int
    percent_basis_points: int | None
    cap_amount: int | None
    cap_period: str
    valid_from: dt.datetime | None
    valid_until: dt.datetime | None
    expiry_days: int | None


@router.get("/balance", response=BalanceOut, summary="My points balance")
def get_balance(request: HttpRequest) -> BalanceOut:
    resident: Resident = resident_of(request)
    b = selectors.balance(resident)
    return BalanceOut(balance=b.balance, held=b.held, available=b.available, is_debt=b.is_debt)


@router.get("/statement", response=StatementOut, summary="My points movements, newest first")
def get_statement(request: HttpRequest, query: Query[StatementQuery]) -> StatementOut:
    resident: Resident = resident_of(request)
    page = selectors.statement(resident, cursor=query.cursor, limit=query.limit)
    return StatementOut(
        lines=[StatementLineOut(**line.__dict__) for line in page.lines], next_cursor=page.next_cursor
    )


@router.get("/rules", response=list[RuleOut], auth=None, summary="Earning rules in force")
def get_rules(request: HttpRequest) -> list[RuleOut]:
    return [
        RuleOut(
            programme=r.programme.code,
            programme_name=r.programme.name,
            action=r.rule.action,
            name=r.rule.name,
            description=r.rule.description,
            version=r.version.number,
            amount_simplified=r.version.amount_simplified,
            amount_standard=r.version.amount_standard,
            amount_full=r.version.amount_full,
            percent_basis_points=r.version.percent_basis_points,
            cap_amount=r.version.cap_amount,
            cap_period=r.version.cap_period,
            valid_from=r.version.valid_from,
            valid_until=r.version.valid_until,
            expiry_days=r.version.expiry_days,
        )
        for r in selectors.active_rules()
    ]

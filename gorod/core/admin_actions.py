"""Running an operator console (Django admin) action row by row through a service.

Every console action that changes several selected rows does the same: call the service once per
row, each call its own transaction, so one refusal neither stops the others nor rolls back what
was already done; tell the operator which rows were refused and why, and how many went through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from gorod.core.errors import DomainError


def run_for_each(
    request: HttpRequest,
    modeladmin: admin.ModelAdmin,
    queryset: QuerySet,
    action: Callable[[Any], object],
    done: str,
) -> int:
    """Call ``action`` on each selected row in primary key order (a stable order, so operators
    see refusals in the order of the list); a refusal is reported next to its row and the rest go
    on. ``done`` names what happened (``"Published"``); returns how many went through."""
    ok = 0
    for obj in queryset.order_by("pk"):
        try:
            action(obj)
        except DomainError as refusal:
            modeladmin.message_user(request, f"{obj}: {refusal.text}", messages.ERROR)
        else:
            ok += 1
    if ok:
        modeladmin.message_user(request, f"{done}: {ok}", messages.SUCCESS)
    return ok

from __future__ import annotations

from django.core.paginator import Page, Paginator

from gorod.accounts.models import Resident
from gorod.notifications.kinds import KINDS
from gorod.notifications.models import Notification, Preference


def inbox(resident: Resident, *, page: int = 1, per_page: int = 20) -> Page:
    rows = Notification.objects.filter(resident=resident).order_by("-id")
    return Paginator(rows, per_page).get_page(page)


def unread_count(resident: Resident) -> int:
    return Notification.objects.filter(resident=resident, read_at__isnull=True).count()


def preferences(resident: Resident) -> list[tuple[str, str, bool]]:
    """(kind, label, by_email) for every kind shown on the preferences page."""
    chosen = dict(Preference.objects.filter(resident=resident).values_list("kind", "by_email"))
    return [(kind, str(label), chosen.get(kind, True)) for kind, label in KINDS.items()]

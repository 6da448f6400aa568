"""Reads of meters and readings: a resident's meters, reading windows, a meter's baseline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from gorod.accounts.models import Resident
from gorod.housing import errors, permissions
from gorod.housing.meters import rules
from gorod.housing.models import (
    LinkStatus,
    Meter,
    MeterReset,
    PremiseLink,
    Reading,
    ReadingWindow,
)


def my_meter_resources(resident: Resident) -> list[str]:
    """What the resident's meters measure (water, electricity…), each once: the home page asks
    only this, without the last readings and buildings that ``my_meters`` joins in."""
    return list(
        Meter.objects.filter(
            premise_id__in=PremiseLink.objects.filter(resident=resident, status=LinkStatus.CONFIRMED).values(
                "premise_id"
            ),
            archived_on__isnull=True,
        )
        .order_by("resource")
        .values_list("resource", flat=True)
        .distinct()
    )


def my_meters(resident: Resident) -> QuerySet[Meter]:
    last = Reading.objects.filter(meter=OuterRef("pk")).order_by("-period")
    return (
        Meter.objects.filter(
            premise_id__in=PremiseLink.objects.filter(resident=resident, status=LinkStatus.CONFIRMED).values(
                "premise_id"
            ),
            archived_on__isnull=True,
        )
        .select_related("premise__building")
        .annotate(
            last_period=Subquery(last.values("period")[:1]),
            last_value_1=Subquery(last.values("value_1")[:1]),
            last_value_2=Subquery(last.values("value_2")[:1]),
            last_value_3=Subquery(last.values("value_3")[:1]),
        )
        .order_by("premise_id", "resource", "serial")
    )


def meter_for(resident: Resident, meter_id: int) -> Meter:
    meter = Meter.objects.select_related("premise__building").filter(pk=meter_id).first()
    if meter is None:
        raise errors.MeterNotFound()
    if not (
        permissions.linked_to_premise(resident, meter.premise_id)
        or permissions.administers(resident, meter.building_id)
    ):
        raise errors.NotYourMeter()
    return meter


def meter_to_submit(meter_id: int) -> Meter:
    """A meter by id for ``reading_submit``, which itself refuses a resident's reading for a
    meter not in a premise linked to them (a building administrator's own included):
    ``meter_for``'s join and permission query would only repeat that check."""
    meter = Meter.objects.filter(pk=meter_id).first()
    if meter is None:
        raise errors.MeterNotFound()
    return meter


def meter_history(meter: Meter, *, limit: int = 24) -> list[Reading]:
    return list(Reading.objects.filter(meter=meter).order_by("-period")[:limit])


# Geometry of the consumption chart, in the SVG's user units (one unit is one CSS pixel at
# full size): room left of the bars for the amounts, one slot per month, the bars' floor.
CHART_LEFT = 56
CHART_SLOT = 40
CHART_BAR = 26
CHART_FLOOR = 110
CHART_MONTHS = 12


def consumption_chart(history: list[Reading]) -> dict[str, Any]:
    """The last months' consumption, oldest first, as bars scaled to the largest month, with
    the amounts of the vertical axis (0, half and the peak) and the chart's width."""
    ordered = list(reversed(history[:CHART_MONTHS]))
    peak = max((r.consumption for r in ordered), default=Decimal(0))
    scale = peak if peak > 0 else Decimal(1)
    points = []
    for n, r in enumerate(ordered):
        height = max(int(r.consumption * 100 / scale), 0)
        x = CHART_LEFT + n * CHART_SLOT + (CHART_SLOT - CHART_BAR) // 2
        points.append(
            {
                "period": r.period,
                "consumption": r.consumption,
                "height": height,
                "x": x,
                "y": CHART_FLOOR - height,
                "label_x": x + CHART_BAR // 2,
            }
        )
    ticks = [{"amount": peak * k / 2, "y": CHART_FLOOR - 50 * k} for k in (0, 1, 2)] if peak > 0 else []
    return {
        "points": points,
        "ticks": ticks,
        "axis_x": CHART_LEFT - 4,
        "floor": CHART_FLOOR,
        "width": CHART_LEFT + len(ordered) * CHART_SLOT + 8,
    }


def flagged_readings(resident: Resident) -> QuerySet[Reading]:
    buildings = resident.administered_buildings.values("building_id")
    return (
        Reading.objects.filter(flagged=True, meter__building_id__in=buildings)
        .select_related("meter__premise__building")
        .order_by("-submitted_at")
    )


# shared_cache scope of the reading windows (gorod.core.cache.shared_cache): a change bumps it
WINDOWS_SCOPE = "housing.reading_windows"


HISTORY_MONTHS = 12


def window_of(resource: str, building_id: int | None = None) -> tuple[int, int]:
    """The building's own window for the resource, else the city's, else the Moscow default."""
    return windows_of([resource], building_id)[resource]


def windows_of(resources: Iterable[str], building_id: int | None = None) -> dict[str, tuple[int, int]]:
    """``window_of`` for several resources in one query (the home page asks for all of them)."""
    wanted = set(resources)
    rows = ReadingWindow.objects.filter(resource__in=wanted, building__isnull=True)
    if building_id is not None:
        rows = ReadingWindow.objects.filter(
            Q(building__isnull=True) | Q(building_id=building_id), resource__in=wanted
        )
    found: dict[str, tuple[int, int]] = {}
    # City rows first, then the building's, so the building's own window wins.
    for w in sorted(rows, key=lambda w: (w.building_id is not None, w.pk)):
        found[w.resource] = (w.start_day, w.end_day)
    return {resource: found.get(resource) or rules.DEFAULT_WINDOWS[resource] for resource in wanted}


@dataclass(frozen=True)
class WindowState:
    """Whether a meter takes readings on a city day: open until ``closes_on``, or closed and
    next opening on ``opens_on`` (None: no window is scheduled in which the meter is usable)."""

    start_day: int
    end_day: int
    closes_on: dt.date | None
    opens_on: dt.date | None

    @property
    def is_open(self) -> bool:
        return self.closes_on is not None


def window_state(meter: Meter, city_day: dt.date) -> WindowState:
    """The meter's reading window as seen on ``city_day`` (the page shows the form only when it
    is open, and otherwise says when the next one opens)."""
    start, end = window_of(meter.resource, meter.building_id)
    if meter.archived_on is not None and meter.archived_on <= city_day:
        return WindowState(start, end, closes_on=None, opens_on=None)
    around = rules.window_around(city_day, start_day=start, end_day=end)
    if around is not None and meter.verification_due >= city_day:
        return WindowState(start, end, closes_on=around[1], opens_on=None)
    opens_on = rules.next_opening(city_day, start_day=start)
    # A meter whose verification lapses (or that is archived) before the next window opens
    # will not take a reading then either: no window is scheduled for it.
    if meter.verification_due < opens_on or (meter.archived_on is not None and meter.archived_on <= opens_on):
        return WindowState(start, end, closes_on=None, opens_on=None)
    return WindowState(start, end, closes_on=None, opens_on=opens_on)


@dataclass(frozen=True)
class Baseline:
    values: list[Decimal]
    history: list[Decimal]


def baseline_of(meter: Meter, period: dt.date) -> tuple[Reading | None, Baseline]:
    """The period's reading if there is one (one query with the history), and the values a new
    reading for ``period`` is compared with: the last accepted reading of an earlier period, or
    a replacement/rollover recorded after it, or the initial values."""
    rows = list(
        Reading.objects.filter(meter=meter, period__lte=period).order_by("-period")[: HISTORY_MONTHS + 1]
    )
    current = rows[0] if rows and rows[0].period == period else None
    earlier = rows[1 if current is not None else 0 :][:HISTORY_MONTHS]
    reset_query = MeterReset.objects.filter(meter=meter)
    if earlier:
        reset_query = reset_query.filter(recorded_at__gt=earlier[0].submitted_at)
    reset = reset_query.order_by("-recorded_at").first()
    if reset is not None:
        values = reset.values()
    elif earlier:
        last = earlier[0]
        values = [v for v in (last.value_1, last.value_2, last.value_3) if v is not None]
    else:
        values = meter.initial_values()
    return current, Baseline(values=values[: meter.tariffs], history=[row.consumption for row in earlier])

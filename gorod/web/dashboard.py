"""The resident's home page: what is open to them now across the services, in a bounded
number of queries (each part is a few rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gorod.core.cache import shared_cache
from gorod.core.time import city_today
from gorod.housing.meetings import selectors as selectors_meetings
from gorod.housing.meters import rules as meters_rules
from gorod.housing.meters import selectors as meters_selectors
from gorod.housing.meters.selectors import WINDOWS_SCOPE, windows_of
from gorod.housing.models import Resource
from gorod.missions import selectors as missions_selectors
from gorod.news import selectors as news_selectors
from gorod.points import selectors as points_selectors
from gorod.problems import selectors as problems_selectors
from gorod.voting import selectors as voting_selectors

OPEN_MEETING_STATUSES = ("announced", "voting")


@dataclass
class Dashboard:
    balance: Any
    polls: list[Any] = field(default_factory=list)
    meetings: list[Any] = field(default_factory=list)
    meter_windows: list[str] = field(default_factory=list)
    challenges: list[Any] = field(default_factory=list)
    reports: list[Any] = field(default_factory=list)
    news: list[Any] = field(default_factory=list)


def _meter_windows(resident: Any) -> list[str]:
    """Resources of the resident's meters whose reading window is open today."""
    today = city_today()
    resources = meters_selectors.my_meter_resources(resident)
    # reading windows change with the city's calendar, not per resident
    windows = shared_cache.remember(WINDOWS_SCOPE, frozenset(resources), lambda: windows_of(resources))
    labels = dict(Resource.choices)
    open_now = []
    for resource in resources:
        start, end = windows[resource]
        if meters_rules.reading_period(today, start_day=start, end_day=end) is not None:
            open_now.append(str(labels.get(resource, resource)))
    return open_now


def dashboard(resident: Any) -> Dashboard:
    return Dashboard(
        balance=points_selectors.balance(resident),
        polls=voting_selectors.open_polls_list_for(resident)[:5],
        meetings=selectors_meetings.my_open_meetings(resident, OPEN_MEETING_STATUSES, limit=5),
        meter_windows=_meter_windows(resident),
        challenges=missions_selectors.open_for(resident, limit=4),
        reports=problems_selectors.latest_reports_of(resident, limit=5),
        news=news_selectors.feed(resident)[:4],
    )

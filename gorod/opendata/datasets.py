"""What the open data catalogue publishes: each dataset's table schema and where its rows come
from (other apps' selectors only). Nothing here names a resident: no author, account or free
text that was not moderated for the public; small groups are pooled (rules.MIN_GROUP)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gorod.core import time as city_time
from gorod.ideas import selectors as ideas_selectors
from gorod.opendata import rules
from gorod.points import selectors as points_selectors
from gorod.problems import selectors as problems_selectors
from gorod.rewards import selectors as rewards_selectors
from gorod.voting import errors as voting_errors
from gorod.voting import selectors as voting_selectors


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date, datetime, yearmonth
    description: str

    def as_descriptor(self) -> dict[str, str]:
        return {"name": self.name, "type": self.type, "description": self.description}


@dataclass(frozen=True)
class Dataset:
    name: str
    title: Promise
    description: Promise
    sources: tuple[tuple[str, str], ...]  # (title, path on this site)
    fields: tuple[Field, ...]
    rows: Callable[[], Iterable[dict[str, Any]]]
    # GeoJSON of the rows that have a place: (rows) -> features; None for datasets without places.
    geojson: Callable[[], dict[str, Any]] | None = None


# -- polls ---------------------------------------------------------------------------------


def _polls_with_results() -> Iterator[tuple[Any, dict]]:
    anonymous = AnonymousUser()
    for poll in voting_selectors.public_polls().iterator(chunk_size=200):
        try:
            yield poll, voting_selectors.results_of(anonymous, poll)
        except voting_errors.ResultsNotAvailable:
            continue


def _result_rows(
    poll: Any, group: str, group_name: str, ballots: int, questions: list[dict]
) -> Iterator[dict]:
    for question in questions:
        for option in [*question["options"], {"id": None, "text": "", **question["other"]}]:
            yield {
                "poll_id": poll.pk,
                "poll_title": poll.title,
                "poll_status": poll.status,
                "closes_at": poll.closes_at,
                "merkle_root": poll.merkle_root or None,
                "group": group,
                "group_name": group_name,
                "group_ballots": ballots,
                "question_id": question["id"],
                "question_text": question["text"],
                "option_id": option["id"],
                "option_text": option["text"],
                "count": option["count"],
                "percent": option["percent"],
            }


def poll_result_rows() -> Iterator[dict[str, Any]]:
    """One row per poll, group, question and option (option_id empty: the "other" answers).
    Groups are the whole city, each district of 10 voters or more, and the other districts
    pooled (left out when fewer than 10), exactly as the results page shows them."""
    for poll, results in _polls_with_results():
        yield from _result_rows(poll, "city", "", results["ballots"], results["questions"])
        for district in results.get("districts", []):
            yield from _result_rows(
                poll, "district", district["name"], district["ballots"], district["questions"]
            )
        other = results.get("other_districts")
        if other:
            yield from _result_rows(poll, "other_districts", "", other["ballots"], other["questions"])


def ballot_rows() -> Iterator[dict[str, Any]]:
    for poll in voting_selectors.public_polls().iterator(chunk_size=200):
        for receipt_hash, choices in voting_selectors.published_ballot_rows(poll):
            yield {"poll_id": poll.pk, "receipt_hash": receipt_hash, "choices": choices}


# -- decisions -------------------------------------------------------------------------------


def decision_rows() -> Iterator[dict[str, Any]]:
    for decision in voting_selectors.decisions().iterator(chunk_size=500):
        point = decision.location if (decision.location or {}).get("type") == "Point" else None
        longitude, latitude = point["coordinates"][:2] if point else (None, None)
        yield {
            "id": decision.pk,
            "title": decision.title,
            "status": decision.status,
            "organisation": decision.organisation,
            "district": decision.district.name if decision.district else None,
            "poll_id": decision.poll_id,
            "planned_on": decision.planned_on,
            "done_on": decision.done_on,
            "progress_percent": decision.progress_percent,
            "cancel_reason": decision.cancel_reason or None,
            "geometry_type": (decision.location or {}).get("type"),
            "longitude": longitude,
            "latitude": latitude,
        }


def decisions_geojson() -> dict[str, Any]:
    return voting_selectors.decisions_geojson(voting_selectors.decisions())


# -- Our City reports ------------------------------------------------------------------------


def report_rows() -> Iterator[dict[str, Any]]:
    today = city_time.city_today()

    def day(moment: Any) -> Any:
        return city_time.to_city(moment).date() if moment else None

    for report in problems_selectors.open_data_reports():
        answered_on = day(report["answered_at"])
        yield {
            "id": report["id"],
            "status": report["status"],
            "topic": report["topic__code"],
            "topic_name": report["topic__name"],
            "topic_group": report["topic__group__name"],
            "district": report["district__code"],
            "district_name": report["district__name"],
            "organisation": report["organisation__name"],
            "latitude": rules.rounded_place(report["latitude"]),
            "longitude": rules.rounded_place(report["longitude"]),
            "source": report["source"],
            "filed_on": day(report["created_at"]),
            "accepted_on": day(report["accepted_at"]),
            "deadline": report["deadline"],
            "answered_on": answered_on,
            "closed_on": day(report["closed_at"]),
            "times_reopened": report["reopen_count"],
            "deadline_outcome": rules.deadline_outcome(
                deadline=report["deadline"], answered_on=answered_on, overdue=report["overdue"], today=today
            ),
        }


def reports_geojson() -> dict[str, Any]:
    return points_geojson(report_rows(), keep=("id", "status", "topic", "topic_name", "deadline_outcome"))


def points_geojson(rows: Iterable[dict[str, Any]], *, keep: Sequence[str]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": row["id"],
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(row["longitude"]), float(row["latitude"])],
                },
                "properties": {name: rules.json_value(row[name]) for name in keep},
            }
            for row in rows
            if row["latitude"] is not None and row["longitude"] is not None
        ],
    }


# -- ideas -----------------------------------------------------------------------------------


def idea_rows() -> Iterator[dict[str, Any]]:
    for idea in ideas_selectors.open_data_ideas().iterator(chunk_size=1000):
        yield {
            "id": idea.pk,
            "project_id": idea.project_id,
            "project_title": idea.project.title,
            "project_stage": idea.project.stage,
            "title": idea.title,
            "text": idea.text,
            "status": idea.status,
            "supports": idea.support_count,  # type: ignore[attr-defined]
            "merged_into_id": idea.merged_into_id,
            "decision_reason": idea.decision_reason or None,
            "city_decision_id": idea.city_decision_id,
            "published_on": city_time.to_city(idea.created_at).date(),
            "decided_on": city_time.to_city(idea.decided_at).date() if idea.decided_at else None,
        }


# -- points ----------------------------------------------------------------------------------


def points_flow_rows() -> list[dict[str, Any]]:
    """Per month and way (issued, returned, spent, donated, expired), each programme with 10
    transfers or more, and the smaller ones pooled as "other" (left out when under 10)."""
    by_group: dict[tuple[Any, str], list[dict[str, Any]]] = {}
    for flow in points_selectors.monthly_flows():
        by_group.setdefault((flow.month, flow.flow), []).append(
            {
                "month": flow.month.strftime("%Y-%m"),
                "programme": flow.programme_code or "other",
                "flow": flow.flow,
                "points": flow.points,
                "transfers": flow.transfers,
            }
        )

    def merge(small: Sequence[dict[str, Any]]) -> dict[str, Any]:
        return {
            **small[0],
            "programme": "other",
            "points": sum(row["points"] for row in small),
            "transfers": sum(row["transfers"] for row in small),
        }

    rows: list[dict[str, Any]] = []
    for group in by_group.values():
        rows.extend(rules.pool_small_groups(group, size=lambda row: row["transfers"], merge=merge))
    return rows


def charity_rows() -> list[dict[str, Any]]:
    funds = [
        {
            "fund": fund.name,
            "verification": fund.verification,
            "points": fund.total_points or 0,  # type: ignore[attr-defined]
            "donations": fund.donation_count,  # type: ignore[attr-defined]
        }
        for fund in rewards_selectors.funds_with_totals()
    ]

    def merge(small: Sequence[dict[str, Any]]) -> dict[str, Any]:
        return {
            "fund": "other funds",
            "verification": "",
            "points": sum(row["points"] for row in small),
            "donations": sum(row["donations"] for row in small),
        }

    return rules.pool_small_groups(funds, size=lambda row: row["donations"], merge=merge)


def earning_rule_rows() -> Iterator[dict[str, Any]]:
    for published in points_selectors.active_rules():
        version = published.version
        yield {
            "programme": published.programme.code,
            "programme_name": published.programme.name,
            "action": published.rule.action,
            "rule": published.rule.name,
            "description": published.rule.description or None,
            "version": version.number,
            "points_simplified": version.amount_simplified,
            "points_standard": version.amount_standard,
            "points_full": version.amount_full,
            "percent_basis_points": version.percent_basis_points,
            "rounding": version.rounding,
            "cap_points": version.cap_amount,
            "cap_period": version.cap_period or None,
            "valid_from": version.valid_from,
            "valid_until": version.valid_until,
            "expiry_days": version.expiry_days,
        }


def _f(name: str, type_: str, description: str) -> Field:
    return Field(name, type_, description)


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        name="poll-results",
        title=_("Poll results"),
        description=_(
            "Results of Active Citizen polls whose results are public: per question and option, "
            "for the whole city, each district with 10 voters or more and the other districts pooled."
        ),
        sources=(("Active Citizen poll results", "/api/v1/polls"),),
        fields=(
            _f("poll_id", "integer", "Poll"),
            _f("poll_title", "string", "Poll title"),
            _f("poll_status", "string", "open (live results), closed, published or archived"),
            _f("closes_at", "datetime", "When voting closes or closed (UTC)"),
            _f("merkle_root", "string", "Published Merkle root of the poll's ballots"),
            _f("group", "string", "city, district or other_districts (small districts pooled)"),
            _f("group_name", "string", "District name for a district group"),
            _f("group_ballots", "integer", "Ballots in the group"),
            _f("question_id", "integer", "Question"),
            _f("question_text", "string", "Question text"),
            _f("option_id", "integer", "Option; empty for the question's free 'other' answers"),
            _f("option_text", "string", "Option text"),
            _f("count", "integer", "Ballots that chose the option"),
            _f("percent", "number", "Share of the group's ballots, to 0.1"),
        ),
        rows=poll_result_rows,
    ),
    Dataset(
        name="ballots",
        title=_("Anonymised ballots"),
        description=_(
            "Every ballot of the polls whose ballots are published: its receipt hash and choices, "
            "nothing else, to recompute the tally and the Merkle root."
        ),
        sources=(("Active Citizen ballot lists", "/api/v1/polls/{poll_id}/ballots.csv"),),
        fields=(
            _f("poll_id", "integer", "Poll"),
            _f("receipt_hash", "string", "SHA-256 of the ballot's receipt code"),
            _f("choices", "string", "Canonical choices of the ballot"),
        ),
        rows=ballot_rows,
    ),
    Dataset(
        name="decisions",
        title=_("Decisions and their implementation"),
        description=_("What the city decided after polls and ideas, who carries it out, and how far it is."),
        sources=(("Active Citizen decisions map", "/api/v1/decisions"),),
        fields=(
            _f("id", "integer", "Decision"),
            _f("title", "string", "Decision"),
            _f("status", "string", "planned, in_progress, done or cancelled"),
            _f("organisation", "string", "Responsible organisation"),
            _f("district", "string", "District"),
            _f("poll_id", "integer", "The poll it followed"),
            _f("planned_on", "date", "Planned for"),
            _f("done_on", "date", "Done on"),
            _f("progress_percent", "integer", "How far the work has got, in per cent (0 to 100)"),
            _f("cancel_reason", "string", "Why it was cancelled"),
            _f("geometry_type", "string", "Point or Polygon; the shape is in the GeoJSON"),
            _f("longitude", "number", "Longitude of a point location (WGS 84)"),
            _f("latitude", "number", "Latitude of a point location (WGS 84)"),
        ),
        rows=decision_rows,
        geojson=decisions_geojson,
    ),
    Dataset(
        name="reports",
        title=_("Our City reports"),
        description=_(
            "Maintenance reports accepted after moderation, without author, text or photos: "
            "category, district, organisation, place rounded to about 100 m, and whether the answer "
            "came by the deadline."
        ),
        sources=(("Our City public map", "/problems/"),),
        fields=(
            _f("id", "integer", "Report"),
            _f("status", "string", "in_work, answer_moderation, answered, closed or escalated"),
            _f("topic", "string", "Category code"),
            _f("topic_name", "string", "Category"),
            _f("topic_group", "string", "Group of categories"),
            _f("district", "string", "District code"),
            _f("district_name", "string", "District"),
            _f("organisation", "string", "Responsible organisation"),
            _f("latitude", "number", "Latitude rounded to 3 decimals (WGS 84)"),
            _f("longitude", "number", "Longitude rounded to 3 decimals (WGS 84)"),
            _f("source", "string", "site, api or open311"),
            _f("filed_on", "date", "Filed on (city date)"),
            _f("accepted_on", "date", "Accepted after moderation"),
            _f("deadline", "date", "Answer due by"),
            _f("answered_on", "date", "Answer published on"),
            _f("closed_on", "date", "Closed on"),
            _f("times_reopened", "integer", "Times the author refuted the answer"),
            _f("deadline_outcome", "string", "met, missed, pending (still in time) or none"),
        ),
        rows=report_rows,
        geojson=reports_geojson,
    ),
    Dataset(
        name="ideas",
        title=_("Ideas"),
        description=_("Ideas residents proposed to City of Ideas projects, as published after moderation."),
        sources=(("City of Ideas", "/api/v1/ideas/projects"),),
        fields=(
            _f("id", "integer", "Idea"),
            _f("project_id", "integer", "Project"),
            _f("project_title", "string", "Project"),
            _f("project_stage", "string", "collecting, review or results"),
            _f("title", "string", "Idea title (moderated)"),
            _f("text", "string", "Idea text (moderated)"),
            _f("status", "string", "published, accepted, merged or declined"),
            _f("supports", "integer", "Residents who supported it"),
            _f("merged_into_id", "integer", "The idea it was merged into"),
            _f("decision_reason", "string", "The experts' reason"),
            _f("city_decision_id", "integer", "The decision it became (see decisions)"),
            _f("published_on", "date", "Proposed on"),
            _f("decided_on", "date", "Decided on"),
        ),
        rows=idea_rows,
    ),
    Dataset(
        name="points-flows",
        title=_("Points issued and spent"),
        description=_(
            "Points issued, returned by reversals, spent in the rewards shop, donated and expired, "
            "per programme and month (city time); programmes with fewer than 10 transfers in a "
            "month are pooled as 'other'."
        ),
        sources=(("Points ledger", "/points/how/"),),
        fields=(
            _f("month", "yearmonth", "Month (city time)"),
            _f("programme", "string", "Programme code, or 'other'"),
            _f("flow", "string", "issued, returned, spent, donated or expired"),
            _f("points", "integer", "Points"),
            _f("transfers", "integer", "Ledger transfers"),
        ),
        rows=points_flow_rows,
    ),
    Dataset(
        name="charity",
        title=_("Charity totals"),
        description=_("Points donated to each charity fund; funds with fewer than 10 donations are pooled."),
        sources=(("Million Prizes charity", "/rewards/charity/"),),
        fields=(
            _f("fund", "string", "Fund, or 'other funds'"),
            _f("verification", "string", "pending or verified"),
            _f("points", "integer", "Points donated"),
            _f("donations", "integer", "Donations"),
        ),
        rows=charity_rows,
    ),
    Dataset(
        name="earning-rules",
        title=_("Earning rules"),
        description=_("The rules in force: what each action earns, caps and expiry."),
        sources=(("Where points come from", "/api/v1/points/rules"),),
        fields=(
            _f("programme", "string", "Programme code"),
            _f("programme_name", "string", "Programme"),
            _f("action", "string", "Action code"),
            _f("rule", "string", "Rule"),
            _f("description", "string", "What the resident does"),
            _f("version", "integer", "Rule version"),
            _f("points_simplified", "integer", "Points for a simplified account"),
            _f("points_standard", "integer", "Points for a standard account"),
            _f("points_full", "integer", "Points for a full account"),
            _f("percent_basis_points", "integer", "Share of a base amount, in hundredths of a percent"),
            _f("rounding", "string", "How a share is rounded"),
            _f("cap_points", "integer", "Most points per resident and cap period"),
            _f("cap_period", "string", "day, week, month, year, lifetime or scope"),
            _f("valid_from", "datetime", "In force from (UTC)"),
            _f("valid_until", "datetime", "In force until (UTC)"),
            _f("expiry_days", "integer", "Points expire after this many days"),
        ),
        rows=earning_rule_rows,
    ),
)

BY_NAME = {dataset.name: dataset for dataset in DATASETS}

"""Pure rules of the poll engine: windows, lifecycle, ballot validation, canonical form, tally.

No ORM here: everything takes plain values so it is easy to test (and to recompute elsewhere).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from gorod.voting import errors

OTHER = "other"
OTHER_MAX_LENGTH = 500
BREAKDOWN_MIN_GROUP = 10

# Allowed moves of a poll's status; "open" and "closed" are also reached by the clock (schedules).
TRANSITIONS: dict[str, set[str]] = {
    "draft": {"scheduled", "open"},
    "scheduled": {"draft", "open"},
    "open": {"closed"},
    "closed": {"published"},
    "published": {"archived"},
    "archived": set(),
}
EDITABLE_STATUSES = {"draft", "scheduled"}

DECISION_TRANSITIONS: dict[str, set[str]] = {
    "planned": {"in_progress", "done", "cancelled"},
    "in_progress": {"done", "cancelled"},
    "done": set(),
    "cancelled": set(),
}


def check_transition(from_status: str, to_status: str) -> None:
    if to_status not in TRANSITIONS.get(from_status, set()):
        raise errors.PollTransitionInvalid(from_status=from_status, to_status=to_status)


def check_decision_transition(from_status: str, to_status: str, reason: str) -> None:
    if to_status not in DECISION_TRANSITIONS.get(from_status, set()):
        raise errors.DecisionTransitionInvalid(from_status=from_status, to_status=to_status)
    if to_status == "cancelled" and not reason.strip():
        raise errors.CancelReasonRequired(field="reason")


def check_window(*, status: str, opens_at: dt.datetime, closes_at: dt.datetime, now: dt.datetime) -> None:
    """A ballot is taken only while the poll is open and inside its window."""
    if status in {"draft", "scheduled"} or (status == "open" and now < opens_at):
        raise errors.PollNotOpenYet()
    if status != "open" or now >= closes_at:
        raise errors.PollClosed()


@dataclass(frozen=True)
class BudgetShape:
    """A budget question's limit: the money, the rule, the rule's count and each option's cost."""

    budget_roubles: int
    rule: str  # "within_budget" | "min_projects" | "fixed_count" (models.BudgetRule)
    count: int
    cost_roubles: Mapping[int, int]


@dataclass(frozen=True)
class QuestionShape:
    id: int
    kind: str  # "single" | "multiple"
    max_choices: int
    allow_other: bool
    option_ids: frozenset[int]
    budget: BudgetShape | None = None


BUDGET_RULES = ("within_budget", "min_projects", "fixed_count")


def budget_question_ok(
    *,
    budget_roubles: int,
    rule: str,
    count: int,
    costs_roubles: Sequence[int],
    options: int,
    kind: str,
    allow_other: bool,
) -> bool:
    """A budget question is a multiple-choice question without 'other', one positive cost per
    option, a positive budget, and a rule whose count can be met (1..number of projects)."""
    if kind != "multiple" or allow_other or budget_roubles <= 0 or rule not in BUDGET_RULES:
        return False
    if len(costs_roubles) != options or any(c <= 0 for c in costs_roubles):
        return False
    return rule == "within_budget" or 1 <= count <= options


def check_budget(budget: BudgetShape, option_ids: Sequence[int], field: str) -> None:
    """Participatory budgeting's ballot rules (Decidim's three, CONSUL's knapsack):

    - within_budget: the chosen projects' total cost may not exceed the budget;
    - min_projects: the same, and at least ``count`` projects;
    - fixed_count: exactly ``count`` projects, whatever they cost.
    """
    chosen = len(option_ids)
    if budget.rule == "fixed_count":
        if chosen != budget.count:
            raise errors.WrongProjectCount(field=field, required=budget.count)
        return
    total = sum(budget.cost_roubles[o] for o in option_ids)
    if total > budget.budget_roubles:
        raise errors.OverBudget(field=field, total=total, budget=budget.budget_roubles)
    if budget.rule == "min_projects" and chosen < budget.count:
        raise errors.TooFewProjects(field=field, minimum=budget.count)


@dataclass(frozen=True)
class Answer:
    question_id: int
    option_ids: tuple[int, ...] = ()
    other: str = ""


@dataclass(frozen=True)
class CleanAnswer:
    question_id: int
    option_ids: tuple[int, ...]
    other: str = ""

    @property
    def has_other(self) -> bool:
        return bool(self.other)


def clean_ballot(questions: Sequence[QuestionShape], answers: Iterable[Answer]) -> list[CleanAnswer]:
    """Check a ballot against the poll's questions; every question must be answered."""
    given: dict[int, Answer] = {}
    by_id = {q.id: q for q in questions}
    for answer in answers:
        if answer.question_id not in by_id:
            raise errors.OptionNotInPoll(field="answers", question_id=answer.question_id)
        earlier = given.get(answer.question_id)
        if earlier is not None:
            # the same question sent twice is read as one answer with the options of both (the
            # list's shape cannot forbid it); the limits below then apply to the whole
            answer = Answer(
                question_id=answer.question_id,
                option_ids=tuple(dict.fromkeys(earlier.option_ids + answer.option_ids)),
                other=earlier.other or answer.other,
            )
        given[answer.question_id] = answer
    if not given:  # nothing at all; answers given but empty are unanswered questions (the poll's)
        raise errors.EmptyBallot(field="answers")
    cleaned = []
    for question in sorted(questions, key=lambda q: q.id):
        found = given.get(question.id)
        answer = found if found is not None else Answer(question_id=question.id)
        other = answer.other.strip()
        option_ids = tuple(sorted(set(answer.option_ids)))
        if len(option_ids) != len(answer.option_ids):
            raise errors.DuplicateChoice(field=f"q{question.id}", question_id=question.id)
        if not option_ids and not other:
            raise errors.QuestionUnanswered(field=f"q{question.id}", question_id=question.id)
        if any(o not in question.option_ids for o in option_ids):
            raise errors.OptionNotInPoll(field=f"q{question.id}", question_id=question.id)
        if other and not question.allow_other:
            raise errors.OtherNotAllowed(field=f"q{question.id}", question_id=question.id)
        if len(other) > OTHER_MAX_LENGTH:
            raise errors.OtherTooLong(field=f"q{question.id}", maximum=OTHER_MAX_LENGTH)
        maximum = 1 if question.kind == "single" else question.max_choices
        if len(option_ids) + (1 if other else 0) > maximum:
            raise errors.TooManyChoices(field=f"q{question.id}", maximum=maximum)
        if question.budget is not None:
            check_budget(question.budget, option_ids, field=f"q{question.id}")
        cleaned.append(CleanAnswer(question_id=question.id, option_ids=option_ids, other=other))
    return cleaned


def canonical_choices(answers: Sequence[CleanAnswer]) -> str:
    """The ballot as published: ``"<q>=<o>,<o>[,other];<q>=..."`` by ascending ids."""
    parts = []
    for answer in sorted(answers, key=lambda a: a.question_id):
        picks = [str(o) for o in answer.option_ids] + ([OTHER] if answer.has_other else [])
        parts.append(f"{answer.question_id}={','.join(picks)}")
    return ";".join(parts)


def parse_choices(text: str) -> dict[int, list[str]]:
    """Inverse of :func:`canonical_choices` (used by the recompute command)."""
    parsed: dict[int, list[str]] = {}
    for part in text.split(";"):
        question, _sep, picks = part.partition("=")
        parsed[int(question)] = picks.split(",") if picks else []
    return parsed


# -- receipts ---------------------------------------------------------------------------------

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by people
assert len(_ALPHABET) == 32


def new_receipt_code() -> str:
    # 32 letters: the low 5 bits of a random byte pick one without bias, and one read of the
    # system's randomness serves all 20 (secrets.choice read it once per letter).
    raw = "".join(_ALPHABET[byte & 31] for byte in secrets.token_bytes(20))
    return "-".join(raw[i : i + 5] for i in range(0, 20, 5))


def normalise_receipt_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def receipt_hash(code: str) -> str:
    """What is published for a receipt: SHA-256 of the code without dashes, upper case."""
    return hashlib.sha256(normalise_receipt_code(code).encode()).hexdigest()


# The published tree has two halves (ADR 0003): the receipts issued and the ballots counted,
# each a sorted list of leaves, so that a receipt proves its ballot was counted without pointing
# at the ballot. Root = node(receipts root, ballots root).
def receipt_leaf_bytes(receipt_hash_hex: str) -> bytes:
    """A receipt's Merkle leaf data: ``"receipt|<receipt hash>"`` in UTF-8."""
    return f"receipt|{receipt_hash_hex}".encode()


def ballot_leaf_bytes(choices: str) -> bytes:
    """A ballot's Merkle leaf data: ``"ballot|<canonical choices>"`` in UTF-8."""
    return f"ballot|{choices}".encode()


def picks_of(choices: str) -> list[tuple[int, int | None]]:
    """(question id, option id or None for "other") of each pick in canonical choices."""
    return [
        (question, None if pick == OTHER else int(pick))
        for question, picks in parse_choices(choices).items()
        for pick in picks
    ]


def districts_shown(districts: Iterable[int | None], minimum: int = BREAKDOWN_MIN_GROUP) -> set[int]:
    """The districts a mixed batch may name: those with at least ``minimum`` of its ballots, so
    that a district's only voter in a batch is never picked out by it."""
    counts: dict[int, int] = {}
    for district in districts:
        if district is not None:
            counts[district] = counts.get(district, 0) + 1
    return {d for d, n in counts.items() if n >= minimum}


# -- tally ------------------------------------------------------------------------------------


def percent(part: int, whole: int) -> str:
    if whole <= 0:
        return "0.0"
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass
class TallyInput:
    """Grouped counts as the database returns them."""

    ballots_by_district: Mapping[int | None, int]
    picks: Iterable[tuple[int, int | None, int | None, int]]  # question, option (None=other), district, n
    questions: Sequence[tuple[int, str, Sequence[tuple[int, str]]]]  # id, text, [(option id, text)]
    district_names: Mapping[int, str] = field(default_factory=dict)


def _question_block(
    questions: Sequence[tuple[int, str, Sequence[tuple[int, str]]]],
    counts: Mapping[tuple[int, int | None], int],
    total: int,
) -> list[dict]:
    block = []
    for qid, text, options in questions:
        rows = [
            {
                "id": oid,
                "text": otext,
                "count": counts.get((qid, oid), 0),
                "percent": percent(counts.get((qid, oid), 0), total),
            }
            for oid, otext in options
        ]
        other = counts.get((qid, None), 0)
        block.append(
            {
                "id": qid,
                "text": text,
                "options": rows,
                "other": {"count": other, "percent": percent(other, total)},
            }
        )
    return block


def tally(data: TallyInput) -> dict:
    """Results per question and option, with a district breakdown hiding groups under 10 voters.

    Small districts are pooled into one "other districts" group so nobody's choice can be read
    off a tiny group; if that pool itself is under 10 it is dropped from the breakdown too.
    """
    total = sum(data.ballots_by_district.values())
    overall: dict[tuple[int, int | None], int] = {}
    by_district: dict[int | None, dict[tuple[int, int | None], int]] = {}
    for qid, oid, did, n in data.picks:
        overall[(qid, oid)] = overall.get((qid, oid), 0) + n
        bucket = by_district.setdefault(did, {})
        bucket[(qid, oid)] = bucket.get((qid, oid), 0) + n
    shown: list[dict] = []
    pooled_ballots = 0
    pooled: dict[tuple[int, int | None], int] = {}
    for did, ballots in sorted(data.ballots_by_district.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
        if did is not None and ballots >= BREAKDOWN_MIN_GROUP:
            shown.append(
                {
                    "district_id": did,
                    "name": data.district_names.get(did, str(did)),
                    "ballots": ballots,
                    "questions": _question_block(data.questions, by_district.get(did, {}), ballots),
                }
            )
        else:
            pooled_ballots += ballots
            for key, n in by_district.get(did, {}).items():
                pooled[key] = pooled.get(key, 0) + n
    hidden = None
    if pooled_ballots >= BREAKDOWN_MIN_GROUP:
        hidden = {
            "ballots": pooled_ballots,
            "questions": _question_block(data.questions, pooled, pooled_ballots),
        }
    return {
        "ballots": total,
        "questions": _question_block(data.questions, overall, total),
        "districts": shown,
        "other_districts": hidden,
        "breakdown_min_group": BREAKDOWN_MIN_GROUP,
    }

"""Pure rules of owners' general meetings: schedule limits, weights and the tally.

All arithmetic is on exact fractions: a vote's weight is the premise's area (m², a decimal)
times the owner's share; "all votes" is the total area of the building's premises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from gorod.core.errors import InvalidInput

MIN_NOTICE = dt.timedelta(days=10)
MIN_VOTING = dt.timedelta(days=7)
MAX_VOTING = dt.timedelta(days=60)


class NoticeTooShort(InvalidInput):
    code = "meeting_notice_too_short"
    message = _("The notice must be published at least 10 days before voting starts.")


class VotingPeriodInvalid(InvalidInput):
    code = "meeting_voting_period"
    message = _("Voting must last from 7 to 60 days.")


# Where the Code sets each threshold, shown next to the question so owners see why it needs it.
LEGAL_BASIS = {
    "participants": _(
        "Housing Code of the RF, art. 46 part 1: the general rule, a majority of the votes of the "
        "owners taking part."
    ),
    "all_majority": _(
        "Housing Code of the RF, art. 46 part 1: questions the Code reserves for more than half of "
        "all owners' votes."
    ),
    "two_thirds": _(
        "Housing Code of the RF, art. 46 part 1 with art. 44 part 2 items 1-3: reconstruction, "
        "limits on the land plot, use of the common property by others."
    ),
    "unanimous": _(
        "Housing Code of the RF, art. 36 part 3 and art. 40 part 2: reducing the common property "
        "or joining it to a premise needs the consent of all owners."
    ),
}


def legal_basis(threshold: str) -> str:
    return str(LEGAL_BASIS.get(threshold, ""))


def check_schedule(*, notice_at: dt.datetime, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if starts_at - notice_at < MIN_NOTICE:
        raise NoticeTooShort(field="starts_at")
    if not MIN_VOTING <= ends_at - starts_at <= MAX_VOTING:
        raise VotingPeriodInvalid(field="ends_at")


def weight(area: Decimal, share: Fraction) -> Fraction:
    return Fraction(area) * share


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    threshold: str
    votes_for: Fraction
    votes_against: Fraction
    votes_abstain: Fraction
    adopted: bool


@dataclass(frozen=True)
class MeetingResult:
    total: Fraction
    participating: Fraction
    quorum: bool
    questions: list[QuestionResult] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict) -> MeetingResult:
        """The result as ``as_json`` stored it (to print the protocol again in another language)."""
        return cls(
            total=Fraction(data["total"]),
            participating=Fraction(data["participating"]),
            quorum=bool(data["quorum"]),
            questions=[
                QuestionResult(
                    question_id=q["question_id"],
                    threshold=q["threshold"],
                    votes_for=Fraction(q["for"]),
                    votes_against=Fraction(q["against"]),
                    votes_abstain=Fraction(q["abstain"]),
                    adopted=bool(q["adopted"]),
                )
                for q in data["questions"]
            ],
        )

    def as_json(self) -> dict[str, object]:
        def frac(x: Fraction) -> str:
            return f"{x.numerator}/{x.denominator}"

        return {
            "total": frac(self.total),
            "participating": frac(self.participating),
            "quorum": self.quorum,
            "questions": [
                {
                    "question_id": q.question_id,
                    "threshold": q.threshold,
                    "for": frac(q.votes_for),
                    "against": frac(q.votes_against),
                    "abstain": frac(q.votes_abstain),
                    "adopted": q.adopted,
                }
                for q in self.questions
            ],
        }


def adopted(threshold: str, *, votes_for: Fraction, participating: Fraction, total: Fraction) -> bool:
    if threshold == "participants":
        return votes_for * 2 > participating
    if threshold == "all_majority":
        return votes_for * 2 > total
    if threshold == "two_thirds":
        return votes_for * 3 >= total * 2
    if threshold == "unanimous":
        # All owners: every vote of the building, not only of those taking part.
        return total > 0 and votes_for >= total
    raise ValueError(threshold)


def tally(
    *,
    total: Fraction,
    weights: Mapping[int, Fraction],
    ballots: Iterable[tuple[int, int, str]],
    questions: Sequence[tuple[int, str]],
) -> MeetingResult:
    """Count ballots ``(entry_id, question_id, choice)``. Quorum: the entries that voted hold
    strictly more than half of all votes. Without quorum nothing is adopted."""
    sums: dict[tuple[int, str], Fraction] = {}
    voted: set[int] = set()
    for entry_id, question_id, choice in ballots:
        voted.add(entry_id)
        key = (question_id, choice)
        sums[key] = sums.get(key, Fraction(0)) + weights[entry_id]
    participating = sum((weights[e] for e in voted), Fraction(0))
    quorum = participating * 2 > total
    results = []
    for question_id, threshold in questions:
        votes_for = sums.get((question_id, "for"), Fraction(0))
        results.append(
            QuestionResult(
                question_id=question_id,
                threshold=threshold,
                votes_for=votes_for,
                votes_against=sums.get((question_id, "against"), Fraction(0)),
                votes_abstain=sums.get((question_id, "abstain"), Fraction(0)),
                adopted=quorum
                and adopted(threshold, votes_for=votes_for, participating=participating, total=total),
            )
        )
    return MeetingResult(total=total, participating=participating, quorum=quorum, questions=results)


def percent(part: Fraction, whole: Fraction) -> str:
    """A share of votes as a percentage for people, two decimals, rounded half up."""
    if whole == 0:
        return "0.00"
    value = Decimal(part.numerator * whole.denominator * 100) / Decimal(part.denominator * whole.numerator)
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

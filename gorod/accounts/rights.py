"""What each account level allows, in one table: the services check their action against it and
the profile shows it to the resident with how to raise their level.

The level of a resident who signs in with the city's identity provider comes from that provider
(gorod.accounts.services_identity); others are confirmed by an operator.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import AccountLevel

OWNERS_MEETING_VOTE = "owners_meeting_vote"
PROBLEM_REPORT = "problem_report"


@dataclass(frozen=True)
class Right:
    code: str
    label: str | Promise
    default_minimum: str
    setting: str = ""  # a setting that may change the minimum, e.g. a city that requires full

    @property
    def minimum(self) -> str:
        level = getattr(settings, self.setting, "") if self.setting else ""
        return str(AccountLevel(level or self.default_minimum))


RIGHTS = (
    Right(PROBLEM_REPORT, _("report a problem in Our City"), AccountLevel.STANDARD),
    Right(
        OWNERS_MEETING_VOTE,
        _("vote in your building's owners' general meetings"),
        AccountLevel.STANDARD,
        setting="GOROD_OWNERS_MEETING_MIN_LEVEL",
    ),
)
_BY_CODE = {right.code: right for right in RIGHTS}


def minimum_level(code: str) -> str:
    return _BY_CODE[code].minimum


def allows(level: str, code: str) -> bool:
    return AccountLevel.rank(level) >= AccountLevel.rank(minimum_level(code))


def table_for(level: str) -> list[dict[str, object]]:
    """Each right with whether this level has it and the level it needs (for the profile)."""
    return [
        {
            "label": right.label,
            "allowed": AccountLevel.rank(level) >= AccountLevel.rank(right.minimum),
            "needs": AccountLevel(right.minimum).label,
        }
        for right in RIGHTS
    ]

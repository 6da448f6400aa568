"""Names of the published default programmes and rules, so gettext can translate them.

Programmes and rules are data that operators may rename; the defaults shipped in migrations are
listed here for the catalogue, and pages translate a name when the catalogue knows it.
"""

from django.utils.translation import gettext, gettext_noop

DEFAULT_NAMES = [
    gettext_noop("Active Citizen"),
    gettext_noop("Electronic Home"),
    gettext_noop("Our City"),
    gettext_noop("Mission City"),
    gettext_noop("City of Ideas"),
    gettext_noop("Million Prizes"),
    gettext_noop("Charity"),
    gettext_noop("Vote in a city poll"),
    gettext_noop("Take part in an Active Citizen vote."),
    gettext_noop("Rate a city novelty"),
    gettext_noop("Rate a city novelty or news item (Pulse of the capital)."),
    gettext_noop("Take a quiz"),
    gettext_noop("Complete a city quiz."),
    gettext_noop("Photo contest"),
    gettext_noop("Take part in or win a photo contest."),
    gettext_noop("Submit a meter reading"),
    gettext_noop("Once per meter and period."),
    gettext_noop("Pay the utility bill"),
    gettext_noop("5% of the paid amount back as points, rounded down."),
    gettext_noop("Pass sport norms"),
    gettext_noop("Points per norm passed."),
    gettext_noop("Reading marathon"),
    gettext_noop("Points per book read."),
    gettext_noop("Visit a museum"),
    gettext_noop("A confirmed museum visit."),
]


def translated(name: str) -> str:
    """The name in the active language if the catalogue has it, else as the operator wrote it."""
    return gettext(name) if name else name

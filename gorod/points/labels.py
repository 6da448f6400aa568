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
    # Rules the other apps' migrations add (housing, problems, ideas, voting).
    gettext_noop("A neighbour you invited joins and is verified."),
    gettext_noop("A report accepted by the moderator."),
    gettext_noop("An idea of yours the experts accept."),
    gettext_noop("Ask your neighbours in a survey."),
    gettext_noop("Complete a quest"),
    gettext_noop("Correct quiz answer"),
    gettext_noop("Create a neighbour survey"),
    gettext_noop("Finish every task of an Active Citizen quest."),
    gettext_noop("First announcement"),
    gettext_noop("Hold an owners' meeting"),
    gettext_noop("Idea accepted by the experts"),
    gettext_noop("Initiate an owners' general meeting."),
    gettext_noop("Points per correct answer in quizzes that award them."),
    gettext_noop("Rate an answer"),
    gettext_noop("Rate how an organisation solved a problem."),
    gettext_noop("Take part in an owners' general meeting."),
    gettext_noop("Vote in an owners' meeting"),
    gettext_noop("Your first announcement on the building board."),
]


def translated(name: str) -> str:
    """The name in the active language if the catalogue has it, else as the operator wrote it."""
    return gettext(name) if name else name

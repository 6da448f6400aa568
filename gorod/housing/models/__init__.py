"""Electronic Home tables, split by topic; Django finds them all through this package."""

from gorod.housing.models.billing import Bill, BillLine, Payment, PaymentEvent, PaymentState
from gorod.housing.models.board import Announcement, AnnouncementStatus
from gorod.housing.models.buildings import (
    Building,
    BuildingAdministrator,
    LinkRole,
    LinkStatus,
    Ownership,
    OwnershipKind,
    Premise,
    PremiseKind,
    PremiseLink,
)
from gorod.housing.models.invitations import Invitation
from gorod.housing.models.meetings import (
    AgendaQuestion,
    Choice,
    Meeting,
    MeetingBallot,
    MeetingForm,
    MeetingMaterial,
    MeetingStatus,
    RegisterEntry,
    RegisterHolder,
    Threshold,
)
from gorod.housing.models.meters import Meter, MeterReset, Reading, ReadingWindow, Resource

__all__ = [
    "AgendaQuestion",
    "Announcement",
    "AnnouncementStatus",
    "Bill",
    "BillLine",
    "Building",
    "BuildingAdministrator",
    "Choice",
    "Invitation",
    "LinkRole",
    "LinkStatus",
    "Meeting",
    "MeetingBallot",
    "MeetingForm",
    "MeetingMaterial",
    "MeetingStatus",
    "Meter",
    "MeterReset",
    "Ownership",
    "OwnershipKind",
    "Payment",
    "PaymentEvent",
    "PaymentState",
    "Premise",
    "PremiseKind",
    "PremiseLink",
    "Reading",
    "ReadingWindow",
    "RegisterEntry",
    "RegisterHolder",
    "Resource",
    "Threshold",
]

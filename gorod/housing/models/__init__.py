"""Electronic Home tables, split by topic; Django finds them all through this package."""

from gorod.housing.models.billing import Bill, BillLine, Payment, PaymentEvent, PaymentState
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
from gorod.housing.models.meters import Meter, MeterReset, Reading, ReadingWindow, Resource

__all__ = [
    "Bill",
    "BillLine",
    "Building",
    "BuildingAdministrator",
    "LinkRole",
    "LinkStatus",
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
    "Resource",
]

"""/api/v1/home/...: Electronic Home's API, one router per sub-domain mounted under one prefix.

Each sub-package's ``api.py`` holds its endpoints; their operation ids are written out there, as
published, so that moving an endpoint between modules does not rename it for clients.
"""

from __future__ import annotations

from ninja import Router

from gorod.housing.billing.api import router as billing_router
from gorod.housing.board.api import router as board_router
from gorod.housing.buildings.api import router as buildings_router
from gorod.housing.console.api import router as console_router
from gorod.housing.invitations.api import router as invitations_router
from gorod.housing.meetings.api import router as meetings_router
from gorod.housing.meters.api import router as meters_router
from gorod.housing.surveys.api import router as surveys_router

API_PREFIX = "/home"
router = Router(tags=["home"])
for sub_router in (
    buildings_router,
    meters_router,
    billing_router,
    board_router,
    invitations_router,
    meetings_router,
    surveys_router,
    console_router,
):
    router.add_router("", sub_router)

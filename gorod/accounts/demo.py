"""Demo city: okrugs, districts with boundaries, addresses, residents of every level, staff."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_noop

from gorod.accounts import roles
from gorod.accounts.models import AccountLevel, Address, District, Okrug, Resident
from gorod.accounts.services import processing_consent_give

DEMO_PASSWORD = "gorod-demo-2026"  # noqa: S105 - printed for the demo on purpose


def _box(lon1: float, lat1: float, lon2: float, lat2: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lon1, lat1], [lon2, lat1], [lon2, lat2], [lon1, lat2], [lon1, lat1]]],
    }


# Simplified rectangles around real Moscow districts (approximate, for the demo only).
OKRUGS = [
    (
        "cao",
        gettext_noop("Central Administrative Okrug"),
        [
            ("arbat", gettext_noop("Arbat"), _box(37.575, 55.742, 37.605, 55.757)),
            ("tverskoy", gettext_noop("Tverskoy"), _box(37.590, 55.757, 37.630, 55.785)),
            ("khamovniki", gettext_noop("Khamovniki"), _box(37.540, 55.715, 37.605, 55.742)),
        ],
    ),
    (
        "sao",
        gettext_noop("Northern Administrative Okrug"),
        [
            ("aeroport", gettext_noop("Aeroport"), _box(37.515, 55.790, 37.560, 55.815)),
            ("savyolovsky", gettext_noop("Savyolovsky"), _box(37.560, 55.790, 37.600, 55.815)),
        ],
    ),
]

ADDRESSES = [
    (gettext_noop("Arbat St, 10"), "arbat", "55.750500", "37.593200"),
    (gettext_noop("Tverskaya St, 12"), "tverskoy", "55.764500", "37.606500"),
    (gettext_noop("Komsomolsky Ave, 21"), "khamovniki", "55.728000", "37.580000"),
    (gettext_noop("Leningradsky Ave, 62"), "aeroport", "55.803000", "37.530000"),
    (gettext_noop("Bolshaya Novodmitrovskaya St, 14"), "savyolovsky", "55.805000", "37.585000"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    who: str


RESIDENTS = [
    # username, first, last, level, district, roles, who
    ("anna", "Anna", "Petrova", AccountLevel.FULL, "arbat", [], "resident, full account"),
    (
        "boris",
        "Boris",
        "Ivanov",
        AccountLevel.STANDARD,
        "tverskoy",
        [],
        "resident, standard account",
    ),
    (
        "vera",
        "Vera",
        "Sokolova",
        AccountLevel.SIMPLIFIED,
        "aeroport",
        [],
        "resident, simplified account",
    ),
    (
        "gleb",
        "Gleb",
        "Smirnov",
        AccountLevel.FULL,
        "arbat",
        [],
        "resident, full account (neighbour of anna)",
    ),
    (
        "operator",
        "Olga",
        "Operator",
        AccountLevel.FULL,
        "tverskoy",
        [roles.OPERATOR],
        "city operator",
    ),
    (
        "moderator",
        "Mikhail",
        "Moderator",
        AccountLevel.FULL,
        "khamovniki",
        [roles.MODERATOR],
        "moderator",
    ),
    (
        "partner",
        "Pavel",
        "Partner",
        AccountLevel.STANDARD,
        "savyolovsky",
        [roles.PARTNER_STAFF],
        "partner staff",
    ),
    (
        "housing",
        "Hanna",
        "Administrator",
        AccountLevel.FULL,
        "arbat",
        [roles.BUILDING_ADMINISTRATOR],
        "building administrator",
    ),
    (
        "responder",
        "Roman",
        "Responder",
        AccountLevel.STANDARD,
        "tverskoy",
        [roles.ORGANISATION_RESPONDER],
        "organisation responder",
    ),
]


@transaction.atomic
def seed() -> list[DemoLogin]:
    from django.contrib.auth.models import Group

    from gorod.accounts.services import role_permissions_sync

    role_permissions_sync()
    districts: dict[str, District] = {}
    for okrug_code, okrug_name, members in OKRUGS:
        okrug, _ = Okrug.objects.get_or_create(code=okrug_code, defaults={"name": okrug_name})
        for code, name, boundary in members:
            districts[code], _ = District.objects.get_or_create(
                code=code, defaults={"okrug": okrug, "name": name, "boundary": boundary}
            )
    for text, district, lat, lon in ADDRESSES:
        Address.objects.get_or_create(
            text=text,
            defaults={"district": districts[district], "latitude": Decimal(lat), "longitude": Decimal(lon)},
        )
    logins = []
    for username, first, last, level, district, role_names, who in RESIDENTS:
        resident = Resident.objects.filter(username=username).first()
        if resident is None:
            resident = Resident(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.gorod.local",
                level=level,
                home_district=districts[district],
                is_staff=bool(role_names),
            )
            resident.set_password(DEMO_PASSWORD)
            resident.save()
        for name in role_names:
            resident.groups.add(Group.objects.get_or_create(name=name)[0])
        processing_consent_give(resident=resident)  # as at sign-up (idempotent)
        logins.append(DemoLogin(username, who))
    if not Resident.objects.filter(username="admin").exists():
        Resident.objects.create_superuser(
            "admin", email="admin@demo.gorod.local", password=DEMO_PASSWORD, level=AccountLevel.FULL
        )
    processing_consent_give(resident=Resident.objects.get(username="admin"))
    logins.append(DemoLogin("admin", "superuser (console)"))
    return logins

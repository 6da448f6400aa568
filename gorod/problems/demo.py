"""Demo Our City: topic groups and topics for both seasons, organisations with their areas, and
reports in every state (including overdue ones), made through the services. Idempotent: each
demo report carries a key in its address and is made once."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext_noop
from PIL import Image

from gorod.accounts.models import District, Resident
from gorod.core import time as city_time
from gorod.problems import selectors, services, services_answers
from gorod.problems.models import Organisation, OrganisationResponder, Report, Topic, TopicGroup

GROUPS = [
    ("my-yard", gettext_noop("My yard")),
    ("my-building", gettext_noop("My building")),
    ("my-road", gettext_noop("My road")),
    ("my-park", gettext_noop("My park")),
    ("public-institutions", gettext_noop("Public institutions")),
    ("public-transport", gettext_noop("Public transport")),
    ("trade-advertising", gettext_noop("Trade and advertising")),
    ("city-territory", gettext_noop("City territory")),
]

TOPICS = [
    # group, code, name, season, photo required, deadline days
    ("my-yard", "yard-snow", gettext_noop("Snow not cleared in the yard"), "winter", True, 1),
    ("my-yard", "yard-bench", gettext_noop("Broken bench or playground equipment"), "all_year", False, 8),
    ("my-yard", "yard-grass", gettext_noop("Grass not mowed"), "summer", True, 8),
    ("my-building", "stairwell-dirty", gettext_noop("Dirty stairwell"), "all_year", False, 8),
    ("my-building", "roof-icicles", gettext_noop("Icicles on the roof"), "winter", True, 1),
    ("my-building", "entrance-door", gettext_noop("Broken entrance door"), "all_year", False, 8),
    ("my-road", "pothole", gettext_noop("Pothole in the road"), "all_year", True, 8),
    ("my-road", "road-ice", gettext_noop("Ice on the road"), "winter", False, 2),
    ("my-park", "park-litter", gettext_noop("Litter in the park"), "all_year", False, 8),
    ("my-park", "fountain-broken", gettext_noop("Fountain does not work"), "summer", True, 8),
    ("public-institutions", "clinic-ramp", gettext_noop("No ramp at a clinic"), "all_year", False, 8),
    ("public-transport", "bus-stop-damaged", gettext_noop("Damaged bus stop"), "all_year", False, 8),
    ("trade-advertising", "illegal-ad", gettext_noop("Illegal advertising"), "all_year", True, 8),
    ("city-territory", "street-light", gettext_noop("Street light does not work"), "all_year", False, 8),
    ("city-territory", "sidewalk-snow", gettext_noop("Snow on the sidewalk"), "winter", False, 1),
    ("city-territory", "sidewalk-dust", gettext_noop("Sidewalk not washed"), "summer", False, 8),
]

ORGANISATIONS = [
    # code, name, districts, topic groups
    (
        "gbu-zhilishnik-cao",
        gettext_noop("GBU Zhilishnik of the Central Okrug"),
        ["arbat", "tverskoy", "khamovniki"],
        ["my-yard", "my-building", "my-park"],
    ),
    (
        "gbu-zhilishnik-sao",
        gettext_noop("GBU Zhilishnik of the Northern Okrug"),
        ["aeroport", "savyolovsky"],
        ["my-yard", "my-building", "my-park"],
    ),
    (
        "gbu-avtodorogi",
        gettext_noop("GBU Automobile Roads"),
        ["arbat", "tverskoy", "khamovniki", "aeroport", "savyolovsky"],
        ["my-road", "city-territory"],
    ),
    (
        "mosgortrans",
        gettext_noop("Mosgortrans"),
        ["arbat", "tverskoy", "khamovniki", "aeroport", "savyolovsky"],
        ["public-transport"],
    ),
    (
        "health-department",
        gettext_noop("City Health Department"),
        ["arbat", "tverskoy", "khamovniki", "aeroport", "savyolovsky"],
        ["public-institutions"],
    ),
    (
        "trade-inspection",
        gettext_noop("Trade and Services Inspection"),
        ["arbat", "tverskoy", "khamovniki", "aeroport", "savyolovsky"],
        ["trade-advertising"],
    ),
]

ANSWER = gettext_noop("The work was done by our team; please check and rate it.")


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (96, 96, 96)).save(out, format="JPEG")
    return SimpleUploadedFile("demo.jpg", out.getvalue(), content_type="image/jpeg")


@transaction.atomic
def _catalogue() -> None:
    for position, (code, name) in enumerate(GROUPS):
        TopicGroup.objects.get_or_create(code=code, defaults={"name": name, "position": position * 10})
    groups = {g.code: g for g in TopicGroup.objects.all()}
    for group, code, name, season, photo, days in TOPICS:
        Topic.objects.get_or_create(
            code=code,
            defaults={
                "group": groups[group],
                "name": name,
                "season": season,
                "photo_required": photo,
                "deadline_days": days,
            },
        )
    for code, name, district_codes, group_codes in ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(code=code, defaults={"name": name})
        if created:
            organisation.districts.set(District.objects.filter(code__in=district_codes))
            organisation.topics.set(Topic.objects.filter(group__code__in=group_codes))
    responder = Resident.objects.filter(username="responder").first()
    if responder is not None:
        # One demo login answers for every demo organisation, so each queue can be tried.
        for organisation in Organisation.objects.filter(code__in=[o[0] for o in ORGANISATIONS]):
            OrganisationResponder.objects.get_or_create(organisation=organisation, resident=responder)


# key, author, topic, latitude, longitude, text, final state
REPORTS = [
    (
        "demo-1",
        "anna",
        "yard-bench",
        "55.750500",
        "37.593200",
        gettext_noop("The swing on the playground is broken, a child could get hurt."),
        "moderation",
    ),
    (
        "demo-2",
        "boris",
        "stairwell-dirty",
        "55.764500",
        "37.606500",
        gettext_noop("Advertising leaflets everywhere, call me to discuss please."),
        "rejected",
    ),
    (
        "demo-3",
        "gleb",
        "street-light",
        "55.751000",
        "37.590000",
        gettext_noop("The street light by house 12 has not worked for a week."),
        "in_work",
    ),
    (
        "demo-4",
        "anna",
        "entrance-door",
        "55.752000",
        "37.596000",
        gettext_noop("The entrance door does not close, the lock is broken."),
        "overdue",
    ),
    (
        "demo-5",
        "boris",
        "bus-stop-damaged",
        "55.766000",
        "37.610000",
        gettext_noop("The glass of the bus stop shelter is broken into pieces."),
        "answer_moderation",
    ),
    (
        "demo-6",
        "anna",
        "pothole",
        "55.749000",
        "37.585000",
        gettext_noop("A deep pothole right at the pedestrian crossing."),
        "answered",
    ),
    (
        "demo-7",
        "gleb",
        "park-litter",
        "55.730000",
        "37.580000",
        gettext_noop("Overflowing bins and litter along the park alley."),
        "closed",
    ),
    (
        "demo-8",
        "anna",
        "stairwell-dirty",
        "55.748000",
        "37.600000",
        gettext_noop("The stairwell has not been cleaned for a month."),
        "reopened",
    ),
    (
        "demo-9",
        "gleb",
        "yard-bench",
        "55.753000",
        "37.598000",
        gettext_noop("The bench by the sandbox has no seat boards left."),
        "escalated",
    ),
]


def _answer_and_publish(report_id: int, responder: Resident, moderator: Resident) -> None:
    answer = services_answers.answer_submit(report_id=report_id, responder=responder, text=ANSWER)
    services_answers.answer_approve(answer_id=answer.pk, moderator=moderator)


def _report(key: str, author: Resident, topic: Topic, lat: str, lon: str, text: str, state: str) -> None:
    moderator = Resident.objects.get(username="moderator")
    responder = Resident.objects.get(username="responder")
    report = services.report_file(
        author=author,
        topic_code=topic.code,
        latitude=lat,
        longitude=lon,
        text=text,
        photo_uploads=[_photo()] if topic.photo_required else [],
        # no address: the place is the point on the map (the seed key shown as "(demo-8)" was not one)
    )
    if state == "moderation":
        return
    if state == "rejected":
        services.report_reject(
            report_id=report.pk, moderator=moderator, reason=gettext_noop("Not a maintenance problem.")
        )
        return
    services.report_accept(report_id=report.pk, moderator=moderator)
    if state == "in_work":
        return
    if state == "overdue":
        # Accepted three weeks ago, or earlier when holidays (Russia's New Year days off) leave
        # too few working days in three weeks: its deadline has passed; the scheduler marks it.
        today = city_time.city_today()
        past = today - dt.timedelta(days=21)
        while selectors.deadline_for(past, topic.deadline_days) >= today:
            past -= dt.timedelta(days=7)
        Report.objects.filter(pk=report.pk).update(
            accepted_at=city_time.city_midnight(past),
            deadline=selectors.deadline_for(past, topic.deadline_days),
        )
        services.reports_mark_overdue()
        return
    if state == "answer_moderation":
        services_answers.answer_submit(report_id=report.pk, responder=responder, text=ANSWER)
        return
    _answer_and_publish(report.pk, responder, moderator)
    if state == "answered":
        return
    if state == "closed":
        services_answers.rating_give(report_id=report.pk, resident=author, score=5, verdict="confirm")
        return
    refutations = 1 if state == "reopened" else 4  # the default limit is 3 reopenings
    for n in range(refutations):
        if n:
            _answer_and_publish(report.pk, responder, moderator)
        services_answers.rating_give(report_id=report.pk, resident=author, score=1, verdict="refute")


def seed() -> None:
    _catalogue()
    if Resident.objects.filter(username__in=["moderator", "responder"]).count() != 2:
        return
    for key, username, topic_code, lat, lon, text, state in REPORTS:
        author = Resident.objects.filter(username=username).first()
        if Report.objects.filter(author=author, text=text).exists():
            continue
        topic = Topic.objects.get(code=topic_code)
        if author is None:
            continue
        _report(key, author, topic, lat, lon, text, state)

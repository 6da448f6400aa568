"""Demo news, interests, services catalogue and stories. anna has a car and lives at Arbat St, 10,
so road news and her building's announcement come first in her feed. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from gorod.accounts.models import Address, District, Resident
from gorod.news import services
from gorod.news.models import Audience, CityService, NewsItem, Story, StoryKind, Topic

ITEMS = [
    # title, text, topics, districts, address, hours ago
    (
        gettext_noop("Tverskaya Street closed to cars on Sunday"),
        gettext_noop(
            "Tverskaya Street is closed from 06:00 to 23:00 for the city half marathon. Detours via the Boulevard Ring."
        ),
        ["roads", "road_closures"],
        [],
        None,
        30,
    ),
    (
        gettext_noop("New night bus route N12"),
        gettext_noop("A new night bus connects Aeroport and the centre every 20 minutes from 01:00."),
        ["transport"],
        [],
        None,
        10,
    ),
    (
        gettext_noop("School enrolment opens on 1 April"),
        gettext_noop("Enrolment in first grade opens on the city portal; documents are checked online."),
        ["education", "children"],
        [],
        None,
        6,
    ),
    (
        gettext_noop("Free rabies vaccination for pets"),
        gettext_noop("City vet clinics vaccinate cats and dogs for free this weekend."),
        ["pets", "health"],
        [],
        None,
        4,
    ),
    (
        gettext_noop("Arbat: a new pocket park opens"),
        gettext_noop("The park on Krivoarbatsky Lane opens with benches, trees and a playground."),
        ["city", "ecology"],
        ["arbat"],
        None,
        3,
    ),
    (
        gettext_noop("Hot water off at Arbat St, 10 on Thursday"),
        gettext_noop("Planned maintenance: hot water is off from 10:00 to 18:00."),
        ["housing"],
        [],
        gettext_noop("Arbat St, 10"),
        2,
    ),
    (
        gettext_noop("Open-air concert in Gorky Park"),
        gettext_noop("The city orchestra plays in Gorky Park on Saturday at 19:00."),
        ["culture"],
        [],
        None,
        1,
    ),
]

SERVICES = [
    (
        gettext_noop("Mission City challenges"),
        gettext_noop("Take on sport and reading challenges and earn points."),
        "sport",
        Audience.EVERYONE,
        "/missions/",
        False,
    ),
    (
        gettext_noop("Lost and found pets"),
        gettext_noop("Post a notice and get matches of found pets nearby."),
        "pets",
        Audience.PET_OWNERS,
        "/pets/",
        False,
    ),
    (
        gettext_noop("City news for you"),
        gettext_noop("News ordered by what matters to you."),
        "city",
        Audience.EVERYONE,
        "/news/",
        False,
    ),
    (
        gettext_noop("Pay parking and fines"),
        gettext_noop("The city's parking payments and traffic fines."),
        "transport",
        Audience.DRIVERS,
        "https://parking.mos.ru/",
        True,
    ),
    (
        gettext_noop("School and kindergarten enrolment"),
        gettext_noop("Apply for a place in a school or kindergarten."),
        "education",
        Audience.PARENTS,
        "https://www.mos.ru/services/",
        True,
    ),
    (
        gettext_noop("Book a doctor"),
        gettext_noop("Make an appointment at a city clinic."),
        "health",
        Audience.EVERYONE,
        "https://emias.info/",
        True,
    ),
]

STORIES = [
    (
        StoryKind.RESIDENT,
        gettext_noop("Anna and the courtyard that votes"),
        gettext_noop("Anna got her neighbours to vote on the new playground; it opened in autumn."),
    ),
    (
        StoryKind.DECISION,
        gettext_noop("A pedestrian crossing residents asked for"),
        gettext_noop("After a district poll, a new zebra crossing with lights was built near school 57."),
    ),
]


@transaction.atomic
def seed() -> None:
    operator = Resident.objects.filter(username="operator").first()
    now = timezone.now()
    topics = {t.code: t for t in Topic.objects.all()}
    districts = {d.code: d for d in District.objects.all()}
    for title, text, topic_codes, district_codes, address_text, hours in ITEMS:
        if NewsItem.objects.filter(title=title).exists():
            continue
        item = NewsItem.objects.create(
            title=title,
            text=text,
            published_at=now - dt.timedelta(hours=hours),
            address=Address.objects.filter(text=address_text).first() if address_text else None,
        )
        item.topics.set([topics[c] for c in topic_codes])
        item.districts.set([districts[c] for c in district_codes if c in districts])
        services.news_item_save(item=item, actor=operator)
    for name, description, category, audience, link, external in SERVICES:
        if not CityService.objects.filter(name=name).exists():
            services.city_service_save(
                service=CityService(
                    name=name,
                    description=description,
                    category=topics[category],
                    audience=audience,
                    link=link,
                    is_external=external,
                ),
                actor=operator,
            )
    for kind, title, text in STORIES:
        if not Story.objects.filter(title=title).exists():
            services.story_save(story=Story(kind=kind, title=title, text=text), actor=operator)
    anna = Resident.objects.filter(username="anna").first()
    if anna is not None:
        services.interests_update(
            resident=anna,
            car_plate="А123ВС77",
            has_pets=True,
            address=Address.objects.filter(text=gettext_noop("Arbat St, 10")).first(),
        )

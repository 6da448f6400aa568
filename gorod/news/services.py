"""Writes of city news: residents' interests, publishing items, catalogue entries, stories."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gorod.accounts.models import Address, District, Resident
from gorod.accounts.permissions import is_operator
from gorod.accounts.services import audit_record
from gorod.core.cache import shared_cache
from gorod.core.errors import PermissionDenied
from gorod.news import rules, selectors
from gorod.news.errors import InvalidPlate
from gorod.news.models import CityService, Interests, NewsItem, Story
from gorod.notifications import services as notifications


@transaction.atomic
def interests_update(
    *,
    resident: Resident,
    car_plate: str = "",
    has_children: bool = False,
    has_pets: bool = False,
    address: Address | None = None,
    home_district: District | bool | None = False,
) -> Interests:
    """Save what the resident told us; a car plate must be a valid Russian one (stored
    normalised). ``home_district`` False leaves the resident's district as it is."""
    plate = ""
    if car_plate.strip():
        normalised = rules.normalise_plate(car_plate)
        if normalised is None:
            raise InvalidPlate(field="car_plate")
        plate = normalised
    interests, _created = Interests.objects.update_or_create(
        resident=resident,
        defaults={"car_plate": plate, "has_children": has_children, "has_pets": has_pets, "address": address},
    )
    if home_district is not False and home_district != resident.home_district:
        Resident.objects.filter(pk=resident.pk).update(home_district=home_district)
        resident.home_district = home_district  # type: ignore[assignment]
    return interests


@transaction.atomic
def news_item_save(*, item: NewsItem, actor: Resident | None) -> NewsItem:
    """Operators publish news; a building announcement reaches that building's residents."""
    if actor is not None and not is_operator(actor):
        raise PermissionDenied()
    created = item.pk is None
    if item.published_at is None:
        item.published_at = timezone.now()
    item.author = item.author or actor
    item.save()
    shared_cache.bump(selectors.ITEMS)
    audit_record(
        actor=actor,
        action="news.item_create" if created else "news.item_change",
        target=item,
        after={"title": item.title, "published": item.published},
    )
    if item.published and item.address_id is not None:
        residents = Interests.objects.filter(address_id=item.address_id).values_list("resident_id", flat=True)
        notifications.notify(
            resident_ids=list(residents),
            kind="building_news",
            event_key=f"news:{item.pk}",
            # Whole fields, not cut: the notification's columns translate content on read
            # (ADR 0006), which only finds the text as it was written.
            title=item.title,
            body=item.text,
            url=reverse("news:item", args=[item.pk]),
        )
    return item


@transaction.atomic
def city_service_save(*, service: CityService, actor: Resident | None) -> CityService:
    if actor is not None and not is_operator(actor):
        raise PermissionDenied()
    rules.check_link(service.link)
    created = service.pk is None
    service.save()
    audit_record(
        actor=actor,
        action="news.service_create" if created else "news.service_change",
        target=service,
        after={"name": service.name, "link": service.link},
    )
    return service


@transaction.atomic
def story_save(*, story: Story, actor: Resident | None) -> Story:
    if actor is not None and not is_operator(actor):
        raise PermissionDenied()
    created = story.pk is None
    if story.published_at is None:
        story.published_at = timezone.now()
    story.save()
    audit_record(
        actor=actor,
        action="news.story_create" if created else "news.story_change",
        target=story,
        after={"title": story.title},
    )
    return story

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import Group

from gorod.accounts.consent import CONSENT_VERSION
from gorod.accounts.models import District, Okrug, Resident


class OkrugFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Okrug
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"okrug-{n}")
    name = factory.Sequence(lambda n: f"Okrug {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    okrug = factory.SubFactory(OkrugFactory)
    code = factory.Sequence(lambda n: f"district-{n}")
    name = factory.Sequence(lambda n: f"District {n}")
    boundary = factory.LazyFunction(
        lambda: {
            "type": "Polygon",
            "coordinates": [[[37.5, 55.7], [37.7, 55.7], [37.7, 55.8], [37.5, 55.8], [37.5, 55.7]]],
        }
    )


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"resident{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Resident{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    level = "standard"
    home_district = factory.SubFactory(DistrictFactory)
    consent_version = CONSENT_VERSION  # agreed at sign-up (gorod.accounts.consent)
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()

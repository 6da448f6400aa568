from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from gorod.accounts.tests.factories import DistrictFactory
from gorod.housing.models import (
    Bill,
    Building,
    BuildingAdministrator,
    LinkStatus,
    Meter,
    Ownership,
    Premise,
    PremiseLink,
)


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    address = factory.Sequence(lambda n: f"Test St, {n}")
    district = factory.SubFactory(DistrictFactory)
    year_built = 1975
    management_organisation = "Zhilishchnik"


class PremiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Premise

    building = factory.SubFactory(BuildingFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    kind = "flat"
    area = Decimal("50.00")


class OwnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ownership

    premise = factory.SubFactory(PremiseFactory)
    owner_name = factory.Sequence(lambda n: f"Owner {n}")
    kind = "sole"
    share_numerator = 1
    share_denominator = 1
    document_number = factory.Sequence(lambda n: f"77-01/{n:05d}")
    document_date = dt.date(2015, 3, 1)


class AdministratorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuildingAdministrator


class LinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PremiseLink

    role = "owner"
    status = LinkStatus.CONFIRMED


class MeterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meter

    premise = factory.SubFactory(PremiseFactory)
    building = factory.LazyAttribute(lambda o: o.premise.building)
    resource = "cold_water"
    serial = factory.Sequence(lambda n: f"SN{n:06d}")
    tariffs = 1
    digits = 5
    verification_due = dt.date(2031, 1, 1)
    installed_on = dt.date(2020, 1, 1)
    initial_value_1 = Decimal("100.000")


class BillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bill

    premise = factory.SubFactory(PremiseFactory)
    period = dt.date(2026, 10, 1)
    payer_code = factory.Sequence(lambda n: f"PC{n:08d}")
    amount_due = 654_321

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gorod.accounts import roles
from gorod.accounts.models import AuditEntry
from gorod.accounts.tests.factories import ResidentFactory
from gorod.housing import errors
from gorod.housing.buildings import rules as buildings_rules
from gorod.housing.buildings import services
from gorod.housing.models import LinkStatus, Ownership, Premise, PremiseLink
from gorod.housing.tests.factories import AdministratorFactory, BuildingFactory, OwnershipFactory

pytestmark = pytest.mark.django_db

DOC = {"document_number": "77-77/001", "document_date": dt.date(2020, 1, 1)}


def test_shares_may_fill_but_not_exceed_the_premise(premise, administrator):
    services.ownership_add(
        premise=premise, owner_name="A", share=Fraction(1, 3), kind="shared", actor=administrator, **DOC
    )
    services.ownership_add(
        premise=premise, owner_name="B", share=Fraction(2, 3), kind="shared", actor=administrator, **DOC
    )
    with pytest.raises(errors.SharesExceedWhole):
        services.ownership_add(
            premise=premise,
            owner_name="C",
            share=Fraction(1, 1000),
            kind="shared",
            actor=administrator,
            **DOC,
        )
    assert Ownership.objects.filter(premise=premise).count() == 2


def test_joint_owners_hold_one_share_together(premise, administrator):
    for name in ("Husband", "Wife"):
        services.ownership_add(
            premise=premise,
            owner_name=name,
            share=Fraction(1, 2),
            kind="joint",
            joint_group=1,
            actor=administrator,
            **DOC,
        )
    services.ownership_add(
        premise=premise, owner_name="Son", share=Fraction(1, 2), kind="shared", actor=administrator, **DOC
    )
    assert Ownership.objects.filter(premise=premise).count() == 3


def test_administrator_of_another_building_is_refused(premise):
    stranger = ResidentFactory(roles=[roles.BUILDING_ADMINISTRATOR])
    AdministratorFactory(building=BuildingFactory(), resident=stranger)
    with pytest.raises(errors.NotYourBuilding):
        services.ownership_add(premise=premise, owner_name="A", share=Fraction(1), actor=stranger, **DOC)
    assert not Ownership.objects.exists()


# A pure rule: no deadline, so a loaded machine cannot fail it by slowness alone.
@settings(deadline=None)
@given(st.lists(st.fractions(min_value=Fraction(1, 100), max_value=1), max_size=6))
def test_share_total_rule_matches_exact_sum(shares):
    if sum(shares, Fraction(0)) > 1:
        with pytest.raises(errors.SharesExceedWhole):
            buildings_rules.check_shares([(s, None) for s in shares], premise="1")
    else:
        buildings_rules.check_shares([(s, None) for s in shares], premise="1")


CSV_OK = """premise,kind,area,owner,share,ownership_kind,joint_group,document_number,document_date
1,flat,54.30,Ivanov I.I.,1,sole,,77-01/1,2010-05-01
2,flat,71.05,Petrova A.A.,1/2,shared,,77-01/2,2011-06-02
2,flat,71.05,Petrov B.B.,1/2,shared,,77-01/3,2011-06-02
3,flat,40.00,Smirnov,1,joint,1,77-01/4,2012-01-01
3,flat,40.00,Smirnova,1,joint,1,77-01/4,2012-01-01
P1,parking,13.25,,,,,,
"""


def test_register_import_creates_premises_and_owners(building, administrator):
    report = services.register_import(building=building, csv_text=CSV_OK, actor=administrator)
    assert report.ok, report.errors
    assert (report.premises_created, report.ownerships_created) == (4, 5)
    assert Premise.objects.get(building=building, number="2").area == Decimal("71.05")
    assert AuditEntry.objects.filter(action="housing.register_import").count() == 1


def test_register_import_with_bad_rows_reports_each_and_writes_nothing(building, administrator):
    bad = (
        CSV_OK
        + "4,flat,-3,Kuznetsov,1,sole,,77-01/9,2012-01-01\n"
        + "2,flat,71.05,Extra,1/3,shared,,77-01/8,2011-01-01\n"
    )
    bad += "5,castle,10,Nobody,2,sole,,,31.12.2020\n"
    report = services.register_import(building=building, csv_text=bad, actor=administrator)
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert (8, "area") in found
    assert (9, "share") in found
    assert {(10, "kind"), (10, "share"), (10, "document_number"), (10, "document_date")} <= found
    assert not Premise.objects.filter(building=building).exists()
    assert not Ownership.objects.exists()


def test_link_request_confirmed_against_the_register(premise, administrator):
    resident = ResidentFactory()
    line = OwnershipFactory(premise=premise, document_number="77-01/555")
    link = services.link_request(
        resident=resident, premise=premise, role="owner", document_number="77-01/555"
    )
    with pytest.raises(errors.LinkAlreadyRequested):
        services.link_request(resident=resident, premise=premise, role="owner")
    services.link_confirm(link=link, actor=administrator)
    link.refresh_from_db()
    line.refresh_from_db()
    assert link.status == LinkStatus.CONFIRMED and line.owner == resident
    with pytest.raises(errors.LinkNotPending):
        services.link_reject(link=link, actor=administrator, reason="late")


def test_owner_link_without_register_line_is_refused(premise, administrator):
    link = services.link_request(
        resident=ResidentFactory(), premise=premise, role="owner", document_number="nope"
    )
    with pytest.raises(errors.OwnerNotInRegister):
        services.link_confirm(link=link, actor=administrator)
    assert PremiseLink.objects.get(pk=link.pk).status == LinkStatus.PENDING


def test_tenant_link_confirmed_and_rejected_only_by_own_administrator(premise, administrator):
    link = services.link_request(resident=ResidentFactory(), premise=premise, role="tenant")
    other = ResidentFactory(roles=[roles.BUILDING_ADMINISTRATOR])
    with pytest.raises(errors.NotYourBuilding):
        services.link_confirm(link=link, actor=other)
    services.link_reject(link=link, actor=administrator, reason="not registered")
    assert PremiseLink.objects.get(pk=link.pk).status == LinkStatus.REJECTED

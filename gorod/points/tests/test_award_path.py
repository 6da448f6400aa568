"""The award hot path: its statement count, and refusals that leave the caller's transaction usable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gorod.accounts.tests.factories import ResidentFactory
from gorod.points import accounts, selectors, services, services_spend
from gorod.points.errors import SourceKeyConflict, UnknownEarningRule
from gorod.points.models import EarningRule, Transfer
from gorod.points.services_rules import earning_rule_define, rule_version_publish

pytestmark = pytest.mark.django_db


def test_an_award_to_a_known_wallet_costs_three_statements_inside_a_transaction():
    resident = ResidentFactory(level="standard")
    services.award(resident=resident, programme="active_citizen", action="vote", source_key="warm")
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        result = services.award(
            resident=resident, programme="active_citizen", action="vote", source_key="v:1"
        )
    # one read (rule, replay, accounts), one insert, one pipelined pair of balance updates
    assert len(queries.captured_queries) == 3, [q["sql"][:80] for q in queries.captured_queries]
    assert result.amount == 20 and result.transfer is not None and result.transfer.pk is not None
    assert Transfer.objects.get(source_key="v:1").amount == 20
    assert selectors.balance(resident).balance == 40


def test_a_refused_award_leaves_the_callers_transaction_usable_and_writes_nothing():
    resident = ResidentFactory(level="standard")
    earning_rule_define(programme="mission_city", action="exact", name="Exact")
    services.award(resident=resident, programme="mission_city", action="exact", source_key="k", amount=50)
    with transaction.atomic():
        with pytest.raises(UnknownEarningRule):
            services.award(resident=resident, programme="active_citizen", action="nope", source_key="x")
        with pytest.raises(SourceKeyConflict):
            services.award(
                resident=resident, programme="mission_city", action="exact", source_key="k", amount=60
            )
        # the caller goes on in the same transaction
        services.award(resident=resident, programme="active_citizen", action="vote", source_key="after")
    assert set(Transfer.objects.values_list("source_key", flat=True)) == {"k", "after"}
    assert selectors.balance(resident).balance == 70


def test_a_new_rule_version_applies_to_the_next_award_at_once():
    resident = ResidentFactory(level="standard")
    services.award(resident=resident, programme="active_citizen", action="vote", source_key="before")
    rule = EarningRule.objects.get(programme__code="active_citizen", action="vote")
    rule_version_publish(rule=rule, amount_simplified=0, amount_standard=35, amount_full=35)
    services.award(resident=resident, programme="active_citizen", action="vote", source_key="after")
    amounts = dict(Transfer.objects.values_list("source_key", "amount"))
    assert amounts == {"before": 20, "after": 35}
    versions = dict(Transfer.objects.values_list("source_key", "rule_version__number"))
    assert versions["after"] == versions["before"] + 1


def test_any_works_through_a_foreign_key_column():
    from gorod.points import accounts
    from gorod.points.models import LedgerAccount

    people = [ResidentFactory() for _ in range(2)]
    wallets = [accounts.wallet_of(p) for p in people]
    found = LedgerAccount.objects.filter(resident_id__any=[people[0].pk]).values_list("pk", flat=True)
    assert list(found) == [wallets[0].pk]


def test_a_first_award_opens_the_wallet_with_one_insert_and_no_savepoint():
    from gorod.points import accounts
    from gorod.points.models import LedgerAccount, Programme

    resident = ResidentFactory(level="full")
    accounts.issuance_of(
        Programme.objects.get(code="active_citizen"), shard=accounts.issuance_shard(resident.pk)
    )
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        result = services.award(
            resident=resident, programme="active_citizen", action="vote", source_key="first"
        )
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 4, statements
    assert not any("SAVEPOINT" in sql for sql in statements)
    assert result.amount == 20
    assert LedgerAccount.objects.get(resident=resident).balance == 20


def test_a_hold_is_posted_by_one_transfer_at_most_while_awards_share_the_empty_hold():
    resident = ResidentFactory(level="standard")
    for n in range(3):  # awards leave the hold empty: the uniqueness is only where it is set
        services.award(resident=resident, programme="active_citizen", action="vote", source_key=f"v:{n}")
    soon = timezone.now() + dt.timedelta(days=1)
    held = services_spend.hold(
        resident=resident, amount=10, reason="order", source_key="o:1", expires_at=soon
    )
    posted = services_spend.post_hold(hold_id=held.pk, to_account=accounts.partner_account(1, "Partner"))
    second = Transfer(
        debit_id=posted.debit_id, credit_id=posted.credit_id, amount=1, reason="again", hold_id=held.pk
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    assert Transfer.objects.filter(hold_id=held.pk).count() == 1


def test_transfer_ids_on_sqlite_are_the_rowid_without_autoincrement():
    """Each AUTOINCREMENT insert also writes sqlite_sequence: a page more in every award's commit."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's table definition")
    resident = ResidentFactory(level="standard")
    services.award(resident=resident, programme="active_citizen", action="vote", source_key="v:1")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'points_transfer'")
        (definition,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM sqlite_sequence WHERE name = 'points_transfer'")
        (sequences,) = cursor.fetchone()
    assert '"id" integer NOT NULL PRIMARY KEY,' in definition and "AUTOINCREMENT" not in definition
    assert sequences == 0

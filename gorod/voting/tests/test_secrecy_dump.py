"""The adversary of ADR 0003: a reader of a full database dump, of every log the platform writes
and of the public files, who tries to link a resident to a choice. One test per channel, on
whichever database the suite runs against (SQLite and PostgreSQL in CI).

Each poll has one question with 12 options and 12 voters, voter i choosing option i, so that a
channel that links says exactly who chose what. "Chance" among a shuffled batch of 12 is one
right guess on average; a channel fails the test when it gives more than ``CHANCE_LIMIT``
(a random shuffle gives 7 or more right in under 1 run of 10,000). Where a channel can be shut
structurally (a column that is not there, a batch sharing one transaction id), that is asserted
too. Transactional tests: each service commits on its own, as in production, so the system
columns are those a real dump shows.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import re
from collections.abc import Iterable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client

from gorod.accounts import services as accounts_services
from gorod.accounts.models import IdempotencyRecord
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.core import merkle
from gorod.points.models import Transfer
from gorod.voting import mix as services_mix
from gorod.voting import rules, services
from gorod.voting.models import Ballot, BallotChoice, BallotReceipt, OtherAnswer, PendingBallot, Poll
from gorod.voting.services import QuestionSpec

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("points_defaults")]

VOTERS = 12
CHANCE_LIMIT = 6
START = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)


def _poll(allow_other: bool = False) -> Poll:
    poll = services.poll_create(
        title="Which square gets a fountain?",
        opens_at=START - dt.timedelta(days=1),
        closes_at=START + dt.timedelta(days=2),
        questions=[
            QuestionSpec(
                text="Square", options=[f"Square {i}" for i in range(VOTERS)], allow_other=allow_other
            )
        ],
    )
    with time_machine.travel(START - dt.timedelta(hours=1), tick=False):
        services.poll_open(poll_id=poll.pk)
    return Poll.objects.get(pk=poll.pk)


def _answers(poll: Poll, i: int, other: str = "") -> list[rules.Answer]:
    question = poll.questions.get()
    option = list(question.options.all())[i]
    return [rules.Answer(question_id=question.pk, option_ids=() if other else (option.pk,), other=other)]


def _vote_all(
    poll: Poll, voters: list[Any], hours_apart: bool = False, other: bool = False
) -> dict[int, str]:
    """Each voter i chooses option i (or writes "text i"); the truth the adversary is after."""
    truth = {}
    for i, voter in enumerate(voters):
        moment = START + (dt.timedelta(hours=i) if hours_apart else dt.timedelta(seconds=i))
        with time_machine.travel(moment, tick=False):
            text = f"Fountain idea {i}" if other else ""
            receipt = services.ballot_cast(poll_id=poll.pk, resident=voter, answers=_answers(poll, i, text))
        truth[voter.pk] = text or rules.canonical_choices(receipt.answers)
    return truth


def _close(poll: Poll) -> Poll:
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        services.poll_close(poll_id=poll.pk)
        services.poll_results_publish(poll_id=poll.pk)
    return Poll.objects.get(pk=poll.pk)


def _rows(table: str, columns: str, where: str = "", params: Iterable[Any] = ()) -> list[tuple]:
    """Rows as a dump shows them: physical order (no ORDER BY), the system column first
    (PostgreSQL's xmin, SQLite's rowid)."""
    system = "xmin::text" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {system}, {columns} FROM {table} {where}", list(params))
        return list(cursor.fetchall())


def _by_system_column(left: list[tuple], right: list[tuple]) -> list[tuple[Any, Any]]:
    """Pair rows of two tables as their system columns suggest: the same transaction id
    (PostgreSQL), or the same rank of rowid (SQLite: rows written in step)."""
    if connection.vendor == "postgresql":
        by_xid: dict[str, list] = {}
        for xid, *value in right:
            by_xid.setdefault(xid, []).append(value)
        return [(value, by_xid[xid][0]) for xid, *value in left if xid in by_xid]
    return list(zip([v for _s, *v in sorted(left)], [v for _s, *v in sorted(right)], strict=False))


def _by_order(left: list[tuple], right: list[tuple]) -> list[tuple[Any, Any]]:
    """Pair rows by their physical order in the dump (the n-th with the n-th)."""
    return list(zip([v for _s, *v in left], [v for _s, *v in right], strict=False))


def _right(guesses: Iterable[tuple[int, str]], truth: dict[int, str]) -> int:
    return sum(1 for resident, choice in guesses if truth.get(resident) == choice)


def _participations(poll: Poll) -> list[tuple]:
    return _rows("voting_participation", "resident_id", "WHERE poll_id = %s", [poll.pk])


def _ballots(poll: Poll) -> list[tuple]:
    return _rows("voting_ballot", "choices", "WHERE poll_id = %s", [poll.pk])


def _voters(n: int = VOTERS, **kw: Any) -> list[Any]:
    return [ResidentFactory(level="standard", **kw) for _ in range(n)]


def _public_pairs(poll: Poll) -> dict[str, str]:
    """receipt hash -> choices, as far as the public download pairs them."""
    download = Client().get(f"/api/v1/polls/{poll.pk}/ballots.csv")
    rows = csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode()))
    return {r["receipt_hash"]: r["choices"] for r in rows if r["receipt_hash"] and r["choices"]}


def test_system_columns_xmin_or_rowid_link_nobody():
    poll = _poll()
    truth = _vote_all(poll, _voters())
    poll = _close(poll)
    pairs = _by_system_column(_participations(poll), _ballots(poll))
    assert _right(((r[0], c[0]) for r, c in pairs), truth) <= CHANCE_LIMIT
    if connection.vendor == "postgresql":
        voter_xids = {xid for xid, _r in _participations(poll)}
        ballot_xids = [xid for xid, _c in _ballots(poll)]
        assert not voter_xids & set(ballot_xids)  # no ballot was written by a vote's transaction
        assert all(ballot_xids.count(x) >= 10 for x in ballot_xids)  # each batch hides 10 or more


def test_a_late_voter_hides_among_ten_at_the_close():
    poll = _poll()
    voters = _voters(VOTERS + 1)
    truth = _vote_all(poll, voters[:VOTERS])
    services_mix.ballots_mix_due()
    truth |= _vote_all(poll, voters[VOTERS:])
    poll = _close(poll)
    assert Ballot.objects.filter(poll=poll).count() == VOTERS + 1
    if connection.vendor == "postgresql":
        ballot_xids = [xid for xid, _c in _ballots(poll)]
        assert sorted({ballot_xids.count(x) for x in ballot_xids}) in ([3, 10], [13])  # 12 -> 3 + 10 re-mixed


def test_physical_order_and_ids_link_nobody():
    poll = _poll()
    truth = _vote_all(poll, _voters())
    poll = _close(poll)
    in_heap = _by_order(_participations(poll), _ballots(poll))
    assert _right(((r[0], c[0]) for r, c in in_heap), truth) <= CHANCE_LIMIT
    by_id = [c for _id, c in sorted(Ballot.objects.filter(poll=poll).values_list("id", "choices"))]
    residents = [r for _s, r in sorted(_participations(poll))]
    assert _right(zip(residents, by_id, strict=False), truth) <= CHANCE_LIMIT


def test_timestamps_link_nobody():
    poll = _poll()
    truth = _vote_all(poll, _voters(), hours_apart=True)
    poll = _close(poll)
    # the vote's transfer carries its time; any time on a ballot's rows is matched to it
    voted_at = {
        int(key.rsplit(":", 1)[1]): created
        for key, created in Transfer.objects.filter(source_key__startswith=f"vote:{poll.pk}:").values_list(
            "source_key", "created_at"
        )
    }
    timed = [f.name for f in Ballot._meta.concrete_fields if f.get_internal_type() == "DateTimeField"]
    guesses = []
    if timed:
        for choices, hour in Ballot.objects.filter(poll=poll).values_list("choices", *timed):
            guesses += [(r, choices) for r, t in voted_at.items() if t.replace(minute=0, second=0) == hour]
    assert _right(guesses, truth) <= CHANCE_LIMIT
    for model in (Ballot, BallotChoice, BallotReceipt, OtherAnswer, PendingBallot):
        kinds = {f.get_internal_type() for f in model._meta.concrete_fields}
        assert not kinds & {"DateTimeField", "DateField", "TimeField"}, model


def test_the_vote_points_transfer_links_nobody():
    poll = _poll()
    truth = _vote_all(poll, _voters())
    poll = _close(poll)
    transfers = _rows("points_transfer", "source_key", "WHERE source_key LIKE %s", [f"vote:{poll.pk}:%"])
    pairs = _by_system_column(transfers, _ballots(poll)) + _by_order(transfers, _ballots(poll))
    guesses = [(int(key[0].rsplit(":", 1)[1]), c[0]) for key, c in pairs]
    assert _right(guesses, truth) <= 2 * CHANCE_LIMIT


def test_the_idempotency_store_links_nobody():
    poll = _poll()
    question = poll.questions.get()
    options = list(question.options.all())
    truth, sent = {}, {}
    for i, voter in enumerate(_voters()):
        plain = accounts_services.api_token_issue(resident=voter, name="app")[1]
        body = json.dumps({"answers": [{"question_id": question.pk, "option_ids": [options[i].pk]}]})
        with time_machine.travel(START + dt.timedelta(seconds=i), tick=False):
            answer = Client(HTTP_AUTHORIZATION=f"Bearer {plain}").post(
                f"/api/v1/polls/{poll.pk}/ballot",
                body,
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY=f"k{i}",
            )
        assert answer.status_code == 201, answer.content
        truth[voter.pk] = f"{question.pk}={options[i].pk}"
        sent[voter.pk] = body
    poll = _close(poll)
    pairs = _public_pairs(poll)
    guesses = []
    for record in IdempotencyRecord.objects.filter(path__contains=f"/polls/{poll.pk}/ballot"):
        kept = json.loads(bytes(record.body) or b"{}")
        digest = kept.get("receipt_hash") or (rules.receipt_hash(kept["code"]) if kept.get("code") else "")
        if digest in pairs:
            guesses.append((record.resident_id, pairs[digest]))
        # the request hash: try every choice the resident could have sent
        for option in options:
            body = json.dumps({"answers": [{"question_id": question.pk, "option_ids": [option.pk]}]})
            guess = hashlib.sha256(f"POST {record.path}\n{body}".encode()).hexdigest()
            if guess == record.request_hash:
                guesses.append((record.resident_id, f"{question.pk}={option.pk}"))
    assert IdempotencyRecord.objects.filter(path__contains=f"/polls/{poll.pk}/ballot").count() == VOTERS
    assert _right(guesses, truth) <= CHANCE_LIMIT


def test_logs_of_receipt_checks_link_nobody(caplog):
    poll = _poll()
    voters = _voters()
    codes = {}
    for i, voter in enumerate(voters):
        with time_machine.travel(START + dt.timedelta(seconds=i), tick=False):
            codes[voter.pk] = services.ballot_cast(
                poll_id=poll.pk, resident=voter, answers=_answers(poll, i)
            ).code
    truth = {
        v.pk: f"{poll.questions.get().pk}={list(poll.questions.get().options.all())[i].pk}"
        for i, v in enumerate(voters)
    }
    poll = _close(poll)
    access_log = []
    caplog.set_level(logging.DEBUG)
    for voter in voters:
        # what the poll page's script does: the leaf's first hex digits, never the code
        leaf = merkle.leaf_hash(rules.receipt_leaf_bytes(rules.receipt_hash(codes[voter.pk]))).hex()
        client = Client()
        client.force_login(voter)
        response = client.get(f"/api/v1/polls/{poll.pk}/receipts?prefix={leaf[:1]}")
        assert response.status_code == 200 and leaf in response.content.decode()
        assert len(response.json()["receipts"]) >= 10  # the answer names a block, not one receipt
        access_log.append((voter.pk, response.request["PATH_INFO"] + "?" + response.request["QUERY_STRING"]))
    logged = [
        (getattr(r, "user_id", None), r.getMessage() + " " + str(getattr(r, "path", "")))
        for r in caplog.records
    ]
    pairs = _public_pairs(poll)
    guesses = []
    for resident, line in logged + access_log:
        for code in re.findall(r"[A-Z2-9]{5}-?[A-Z2-9]{5}-?[A-Z2-9]{5}-?[A-Z2-9]{5}", line):
            guesses += (
                [(resident, pairs[rules.receipt_hash(code)])] if rules.receipt_hash(code) in pairs else []
            )
        for digest in re.findall(r"[0-9a-f]{64}", line):
            guesses += [(resident, pairs[digest])] if digest in pairs else []
    assert _right(guesses, truth) <= CHANCE_LIMIT


def test_small_groups_district_of_one_links_nobody():
    poll = _poll()
    big, lonely = DistrictFactory(), DistrictFactory()
    voters = _voters(VOTERS - 1, home_district=big) + _voters(1, home_district=lonely)
    truth = _vote_all(poll, voters)
    poll = _close(poll)
    guesses = [
        (voters[-1].pk, choices)
        for choices, district in Ballot.objects.filter(poll=poll).values_list("choices", "district_id")
        if district == lonely.pk
    ]
    guesses += [
        (voters[-1].pk, f"{q}={o}")
        for q, o, d in BallotChoice.objects.filter(poll=poll).values_list(
            "question_id", "option_id", "district_id"
        )
        if d == lonely.pk
    ]
    assert _right(guesses, truth) == 0
    # the district of one is not named; the district of 11 is
    assert set(Ballot.objects.filter(poll=poll).values_list("district_id", flat=True)) == {big.pk, None}


def test_other_texts_link_nobody():
    poll = _poll(allow_other=True)
    truth = _vote_all(poll, _voters(), other=True)
    poll = _close(poll)
    texts = _rows("voting_otheranswer", "text", "WHERE poll_id = %s", [poll.pk])
    pairs = _by_system_column(_participations(poll), texts)
    assert _right(((r[0], t[0]) for r, t in pairs), truth) <= CHANCE_LIMIT
    assert _right(((r[0], t[0]) for r, t in _by_order(_participations(poll), texts)), truth) <= CHANCE_LIMIT


def test_a_dump_taken_while_voting_shows_only_sealed_ballots():
    poll = _poll()
    truth = _vote_all(poll, _voters())
    # nothing mixed yet: every readable column of every voting table is searched for choices
    found = []
    for table, columns in (("voting_ballot", "choices"), ("voting_otheranswer", "text")):
        found += _by_system_column(
            _participations(poll), _rows(table, columns, "WHERE poll_id = %s", [poll.pk])
        )
    assert _right(((r[0], c[0]) for r, c in found), truth) == 0
    sealed = [bytes(s) for s in PendingBallot.objects.filter(poll=poll).values_list("sealed", flat=True)]
    assert len(sealed) == VOTERS and len({len(s) for s in sealed}) == 1  # padded: one length for all
    assert not any(choice.encode() in s for s in sealed for choice in truth.values())


def test_a_receipt_cannot_show_a_buyer_the_choice():
    poll = _poll()
    voters = _voters()
    codes = {}
    for i, voter in enumerate(voters):
        with time_machine.travel(START + dt.timedelta(seconds=i), tick=False):
            codes[voter.pk] = services.ballot_cast(
                poll_id=poll.pk, resident=voter, answers=_answers(poll, i)
            ).code
    question = poll.questions.get()
    truth = {v.pk: f"{question.pk}={list(question.options.all())[i].pk}" for i, v in enumerate(voters)}
    poll = _close(poll)
    pairs = _public_pairs(poll)
    guesses = []
    for resident, code in codes.items():  # the buyer is handed the code and reads everything public
        digest = rules.receipt_hash(code)
        if digest in pairs:
            guesses.append((resident, pairs[digest]))
        leaf = merkle.leaf_hash(rules.receipt_leaf_bytes(digest)).hex()
        for path in (f"receipts/{code}", f"receipts?prefix={leaf[:2]}"):
            answer = Client().get(f"/api/v1/polls/{poll.pk}/{path}")
            if answer.status_code == 200 and "choices" in answer.json():
                guesses.append((resident, answer.json()["choices"]))
    assert _right(guesses, truth) == 0
    assert Client().get(f"/api/v1/polls/{poll.pk}/receipts?prefix={leaf[:2]}").status_code == 200

"""The stored Merkle tree: proofs read from the file written at close match the tree rebuilt in
memory, cost a fixed handful of queries whatever the ballot count, and survive a lost file."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gorod.accounts.tests.factories import ResidentFactory
from gorod.core import merkle
from gorod.voting import merkle_tree, services

from .conftest import answers_for, make_poll, proves_receipt, receipt_leaf


def _leaves(count: int) -> list[bytes]:
    return sorted(hashlib.sha256(f"leaf {i}".encode()).digest() for i in range(count))


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8, 13, 32, 33])
def test_stored_proofs_equal_the_in_memory_tree(settings, count):
    leaves = _leaves(count)
    root, written = merkle_tree.write(7, b"".join(leaves))
    assert written == count and root == merkle.root_of_hashes(leaves).hex()
    for index, leaf in enumerate(leaves):
        stored = merkle_tree.proof(7, root, leaf)
        assert stored is not None
        assert stored.index == index and stored.leaf_count == count
        assert stored.steps == merkle.inclusion_proof(leaves, index)
        assert merkle.verify_inclusion(leaf, stored.steps, bytes.fromhex(root))
    assert merkle_tree.proof(7, root, hashlib.sha256(b"not a ballot").digest()) is None
    assert merkle_tree.proof(7, root, b"\xff" * 32) is None  # past the last leaf


def test_damaged_or_foreign_trees_are_not_used(settings):
    leaves = _leaves(5)
    root, _count = merkle_tree.write(3, b"".join(leaves))
    with pytest.raises(merkle_tree.TreeMissing):
        merkle_tree.proof(3, "00" * 32, leaves[0])  # another root: no such file
    path = merkle_tree.path_of(3, root)
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(merkle_tree.TreeMissing):
        merkle_tree.proof(3, root, leaves[0])
    path.write_bytes(b"")
    with pytest.raises(merkle_tree.TreeMissing):
        merkle_tree.proof(3, root, leaves[0])
    assert merkle_tree.write(9, b"") == (merkle.EMPTY_ROOT.hex(), 0)
    with pytest.raises(ValueError):
        merkle_tree.write(9, b"not 32 bytes")
    assert not merkle_tree.path_of(9, merkle.EMPTY_ROOT.hex()).exists()


def _closed_poll_with_receipts(count: int):
    poll = make_poll()
    receipts = [
        services.ballot_cast(poll_id=poll.pk, resident=ResidentFactory(), answers=answers_for(poll, i % 3))
        for i in range(count)
    ]
    services.poll_close(poll_id=poll.pk)
    services.poll_results_publish(poll_id=poll.pk)
    poll.refresh_from_db()
    return poll, receipts


@pytest.mark.django_db
def test_close_stores_the_tree_and_a_proof_reads_no_ballot_list(settings):
    poll, receipts = _closed_poll_with_receipts(40)
    assert merkle_tree.path_of(poll.pk, poll.receipts_root).exists()
    leaf = receipt_leaf(receipts[4].code)
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/v1/polls/{poll.pk}/receipts?prefix={leaf.hex()[:2]}")
    assert response.status_code == 200, response.content
    answer = response.json()
    # a prefix never names one receipt: whole aligned blocks of 16 come back
    assert 16 <= len(answer["receipts"]) <= 40 and answer["leaf_count"] == 40
    mine = next(r for r in answer["receipts"] if r["leaf"] == leaf.hex())
    steps = [merkle.ProofStep(bytes.fromhex(s["sibling"]), s["sibling_is_left"]) for s in mine["steps"]]
    assert merkle.verify_inclusion(leaf, steps, bytes.fromhex(poll.merkle_root))
    sqls = [q["sql"] for q in captured.captured_queries]
    # the poll with its questions and options (3); no ballot or receipt is read
    assert len(sqls) == 3, "\n".join(sqls)
    assert not any("leaf" in sql for sql in sqls)


@pytest.mark.django_db
def test_a_lost_tree_is_rebuilt_from_the_receipts_by_the_next_proof(settings):
    poll, receipts = _closed_poll_with_receipts(4)
    path = merkle_tree.path_of(poll.pk, poll.receipts_root)
    path.unlink()
    assert proves_receipt(poll, receipts[1].code)
    assert path.exists()
    assert all(proves_receipt(poll, r.code) for r in receipts)
    assert not proves_receipt(poll, "AAAAA-AAAAA-AAAAA-AAAAA")

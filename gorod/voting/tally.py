"""Counting: grouped queries over the ballots, and the Merkle tree over their receipts.

The published root is ``node(receipts root, ballots root)`` over two sorted lists of leaves:
``sha256(0x00 || "receipt|<receipt hash>")`` for each receipt issued and
``sha256(0x00 || "ballot|<choices>")`` for each ballot counted (stored on each row by the mix),
each in ascending order of the leaf hash, so order says nothing about when a ballot was cast
and a receipt points at no ballot. ``manage.py voting_recompute`` redoes all of this from the
public ballot download.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count
from django.utils import translation

from gorod.accounts.models import District
from gorod.core import merkle
from gorod.voting import errors, merkle_tree, rules, sql
from gorod.voting.models import Ballot, BallotChoice, BallotReceipt, Poll


def compute(poll: Poll) -> dict:
    """The results of a poll from two grouped queries (ballots per district; picks per option).

    Texts are kept as written, in no reader's language (seed text stays its catalogue source):
    the results are stored at the close and the running tally is shared by every reader, so
    ``selectors.results_of`` translates them for each page."""
    ballots_by_district = {
        row["district_id"]: row["n"]
        for row in Ballot.objects.filter(poll=poll).values("district_id").annotate(n=Count("pk")).order_by()
    }
    picks = [
        (row["question_id"], row["option_id"], row["district_id"], row["n"])
        for row in BallotChoice.objects.filter(poll=poll)
        .values("question_id", "option_id", "district_id")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    with translation.override(None):
        questions = [
            (q.pk, q.text, [(o.pk, o.text) for o in q.options.all()])
            for q in poll.questions.prefetch_related("options")
        ]
        names = dict(
            District.objects.filter(pk__in=[d for d in ballots_by_district if d is not None]).values_list(
                "pk", "name"
            )
        )
    return rules.tally(
        rules.TallyInput(
            ballots_by_district=ballots_by_district, picks=picks, questions=questions, district_names=names
        )
    )


# A poll's running tally changes only when the mix writes ballots (``mix.ballots_mix``, the
# periodic job's and the close's), which puts the new one in Django's cache after its commit.
# Readers only count when it is missing (first read, eviction); what they count is kept an hour
# at most (``add``: never over the mix's newer one), so no request counts a million ballots
# every few seconds, and none waits for the count while the mix keeps it current.
LIVE_TALLY_SECONDS = 3600


def _live_key(poll_id: int) -> str:
    return f"voting:live:{poll_id}"


def live(poll: Poll) -> dict:
    """The running tally of an open (or closed, unpublished) poll: the mix's, or counted now."""
    key = _live_key(poll.pk)
    kept = cache.get(key)
    if kept is None:
        kept = compute(poll)
        cache.add(key, kept, LIVE_TALLY_SECONDS)
    return kept


def live_refresh(poll_id: int) -> None:
    """The mix has written ballots of this poll: forget its tally now (a reader in this
    transaction counts its own), and count it again once the batch is committed (the job pays
    for the count, not a resident's request)."""
    key = _live_key(poll_id)
    cache.delete(key)

    def recount() -> None:
        poll = Poll.objects.filter(pk=poll_id).first()
        if poll is not None:
            cache.set(key, compute(poll), None)

    transaction.on_commit(recount)


def ballot_rows(poll: Poll) -> Iterator[tuple[str, str]]:
    """The public download, streamed: every receipt issued as ``(receipt hash, "")``, sorted, then
    every ballot counted as ``("", choices)``, sorted. The two lists are not paired: a receipt
    proves that its ballot was counted, never which ballot it is (ADR 0003)."""
    receipts = (
        BallotReceipt.objects.filter(poll=poll)
        .order_by("receipt_hash")
        .values_list("receipt_hash", flat=True)
        .iterator(chunk_size=20_000)
    )
    ballots = (
        Ballot.objects.filter(poll=poll)
        .order_by("choices")
        .values_list("choices", flat=True)
        .iterator(chunk_size=20_000)
    )
    yield from ((digest, "") for digest in receipts)
    yield from (("", choices) for choices in ballots)


def sorted_leaves(model: type[Ballot] | type[BallotReceipt], poll: Poll) -> bytes:
    """The poll's ballot or receipt leaves in tree order (ascending leaf hash), joined."""
    if connection.vendor == "postgresql":
        # One value sorted by the server instead of a million rows through the ORM to sort here.
        return sql.sorted_leaves(model, poll.pk)
    return sorted_leaves_portable(model, poll.pk)


def sorted_leaves_portable(model: type[Ballot] | type[BallotReceipt], poll_id: int) -> bytes:
    """:func:`sorted_leaves` through the ORM, sorted here (any database)."""
    return b"".join(
        sorted(bytes(leaf) for leaf in model.objects.filter(poll_id=poll_id).values_list("leaf", flat=True))
    )


def merkle_root_of(poll: Poll) -> tuple[str, str, str, int]:
    """(root, receipts root, ballots root, ballot count): the published root is
    node(receipts root, ballots root); the receipts' tree is stored for inclusion proofs."""
    receipts_root, _receipts = merkle_tree.write(poll.pk, sorted_leaves(BallotReceipt, poll))
    ballot_leaves = sorted_leaves(Ballot, poll)
    ballots_root = merkle_tree.root_only(ballot_leaves)
    root = merkle.node_hash(bytes.fromhex(receipts_root), bytes.fromhex(ballots_root)).hex()
    return root, receipts_root, ballots_root, len(ballot_leaves) // merkle_tree.NODE


# A receipt check names a prefix of its leaf, never the leaf: the answer is every leaf of the
# aligned blocks of RECEIPT_BLOCK leaves around it, so a request log cannot tell which one.
RECEIPT_BLOCK = 16
RECEIPT_MOST = 8 * RECEIPT_BLOCK


@dataclass(frozen=True)
class ReceiptProofs:
    poll_id: int
    leaf_count: int
    root: str
    # (leaf hex, index, [(sibling hex, sibling is on the left)]), the last step to the ballots root
    entries: list[tuple[str, int, list[tuple[str, bool]]]]


def receipt_proofs(poll: Poll, prefix_hex: str) -> ReceiptProofs:
    """Inclusion proofs of the receipt leaves around ``prefix_hex`` (1-16 hex digits of a leaf)."""
    if not poll.merkle_root or not poll.receipts_root:
        raise errors.ResultsNotAvailable(poll_id=poll.pk)
    prefix = bytes.fromhex(prefix_hex if len(prefix_hex) % 2 == 0 else prefix_hex + "0")
    try:
        found = merkle_tree.block_proofs(poll.pk, poll.receipts_root, prefix, RECEIPT_BLOCK, RECEIPT_MOST)
    except merkle_tree.TreeMissing:
        if merkle_tree.write(poll.pk, sorted_leaves(BallotReceipt, poll))[0] != poll.receipts_root:
            raise errors.ReceiptNotFound(poll_id=poll.pk) from None
        found = merkle_tree.block_proofs(poll.pk, poll.receipts_root, prefix, RECEIPT_BLOCK, RECEIPT_MOST)
    last = (poll.ballots_root, False)
    return ReceiptProofs(
        poll_id=poll.pk,
        leaf_count=poll.ballot_count or 0,
        root=poll.merkle_root,
        entries=[
            (p.leaf.hex(), p.index, [*((s.sibling.hex(), s.sibling_is_left) for s in p.steps), last])
            for p in found
        ],
    )

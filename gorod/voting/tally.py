"""Counting: grouped queries over the ballots, and the Merkle tree over their receipts.

Leaves are ``sha256(0x00 || "<receipt hash>|<choices>")`` (stored on each ballot when it is
cast) in ascending order of the leaf hash itself, so the order says nothing about when a ballot
was cast. ``manage.py voting_recompute`` redoes all of this from the public ballot download.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count

from gorod.accounts.models import District
from gorod.core import merkle
from gorod.voting import errors, merkle_tree, rules
from gorod.voting.models import Ballot, BallotChoice, Poll


def compute(poll: Poll) -> dict:
    """The results of a poll from two grouped queries (ballots per district; picks per option)."""
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


def ballot_rows(poll: Poll) -> Iterator[tuple[str, str]]:
    """(receipt hash, canonical choices) of every ballot, for the public download; streams."""
    return (
        Ballot.objects.filter(poll=poll)
        .order_by("receipt_hash")
        .values_list("receipt_hash", "choices")
        .iterator(chunk_size=20_000)
    )


def sorted_leaves(poll: Poll) -> bytes:
    """The poll's Merkle leaves in tree order (ascending leaf hash), joined: 32 bytes each."""
    if connection.vendor == "postgresql":
        # One value sorted by the server instead of a million rows through the ORM to sort here.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT string_agg(leaf, ''::bytea ORDER BY leaf) FROM voting_ballot WHERE poll_id = %s",
                [poll.pk],
            )
            (joined,) = cursor.fetchone()
        return bytes(joined or b"")
    return b"".join(
        sorted(bytes(leaf) for leaf in Ballot.objects.filter(poll=poll).values_list("leaf", flat=True))
    )


def merkle_root_of(poll: Poll) -> tuple[str, int]:
    """Root and leaf count of the poll's tree, which is stored for inclusion proofs."""
    return merkle_tree.write(poll.pk, sorted_leaves(poll))


@dataclass(frozen=True)
class InclusionProof:
    poll_id: int
    receipt_hash: str
    choices: str
    index: int
    leaf_count: int
    leaf: str
    steps: list[tuple[str, bool]]  # (sibling hash hex, sibling is on the left)
    root: str


def inclusion_proof(poll: Poll, code: str) -> InclusionProof:
    """The proof that the ballot behind ``code`` is a leaf of the poll's published root."""
    if not poll.merkle_root:
        raise errors.ResultsNotAvailable(poll_id=poll.pk)
    digest = rules.receipt_hash(code)
    ballot = Ballot.objects.filter(poll=poll, receipt_hash=digest).only("choices").first()
    if ballot is None:
        raise errors.ReceiptNotFound(poll_id=poll.pk)
    leaf = merkle.leaf_hash(rules.leaf_bytes(digest, ballot.choices))
    try:
        stored = merkle_tree.proof(poll.pk, poll.merkle_root, leaf)
    except merkle_tree.TreeMissing:
        stored = _rebuilt_proof(poll, leaf)
    if stored is None:
        raise errors.ReceiptNotFound(poll_id=poll.pk)
    return InclusionProof(
        poll_id=poll.pk,
        receipt_hash=digest,
        choices=ballot.choices,
        index=stored.index,
        leaf_count=stored.leaf_count,
        leaf=leaf.hex(),
        steps=[(s.sibling.hex(), s.sibling_is_left) for s in stored.steps],
        root=poll.merkle_root,
    )


def _rebuilt_proof(poll: Poll, leaf: bytes) -> merkle_tree.StoredProof | None:
    """Without a stored tree (closed before trees were kept, lost media): rebuild from the
    ballots, store the tree for the next proof if it gives the published root, and answer."""
    joined = sorted_leaves(poll)
    if merkle_tree.write(poll.pk, joined)[0] == poll.merkle_root:
        return merkle_tree.proof(poll.pk, poll.merkle_root, leaf)
    leaves = [joined[i : i + merkle_tree.NODE] for i in range(0, len(joined), merkle_tree.NODE)]
    index = bisect_left(leaves, leaf)
    if index == len(leaves) or leaves[index] != leaf:
        return None
    return merkle_tree.StoredProof(
        index=index, leaf_count=len(leaves), steps=merkle.inclusion_proof(leaves, index)
    )

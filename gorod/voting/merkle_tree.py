"""A closed poll's Merkle tree, kept as a file so that an inclusion proof reads O(log n) nodes
instead of rebuilding the tree from every ballot (about 10 s at a million ballots).

No ballot can be cast after the close (the close waits for ballots in flight and takes the
poll's lock), so the tree built for the root at close is final. It is written once, at close,
under ``MEDIA_ROOT/voting/merkle/<poll>-<root>.tree``: an 8-byte magic, the leaf count (8 bytes,
big-endian), then each level of 32-byte nodes from the sorted leaves up to the root (an odd
node is promoted unchanged, as in :mod:`gorod.core.merkle`). Nothing in it is secret: the leaves
can be recomputed by anyone from the public ballot list. A missing or damaged file (a poll
closed before trees were kept, lost media) is rebuilt from the ballots by the next proof.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from gorod.core import merkle

MAGIC = b"GRDTREE1"
HEADER = len(MAGIC) + 8
NODE = 32


def path_of(poll_id: int, root_hex: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "voting" / "merkle" / f"{poll_id}-{root_hex}.tree"


def level_sizes(count: int) -> list[int]:
    sizes = [count]
    while sizes[-1] > 1:
        sizes.append((sizes[-1] + 1) // 2)
    return sizes


def _next_level(level: bytes) -> bytes:
    """Hash pairs of adjacent 32-byte nodes; an odd last node moves up unchanged."""
    sha256 = hashlib.sha256
    # slicing 64 bytes of the joined level is much cheaper than pairing node objects
    paired = [
        sha256(b"\x01" + level[i : i + 2 * NODE]).digest() for i in range(0, len(level) - NODE, 2 * NODE)
    ]
    if (len(level) // NODE) % 2:
        paired.append(level[-NODE:])
    return b"".join(paired)


def write(poll_id: int, leaves: bytes) -> tuple[str, int]:
    """Build the tree over the leaves (32-byte hashes in ascending order, joined), store it, and
    return (root hex, leaf count). Written to a temporary file and renamed, so that a reader
    never sees half a tree."""
    if len(leaves) % NODE:
        raise ValueError("leaves must be whole 32-byte hashes")
    count = len(leaves) // NODE
    if not count:
        return merkle.EMPTY_ROOT.hex(), 0
    folder = path_of(poll_id, "").parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f"{poll_id}-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + count.to_bytes(8, "big"))
            level = leaves
            out.write(level)
            while len(level) > NODE:
                level = _next_level(level)
                out.write(level)
        root = level.hex()
        os.chmod(temporary, 0o644)  # like an upload (FILE_UPLOAD_PERMISSIONS' default)
        os.replace(temporary, path_of(poll_id, root))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return root, count


@dataclass(frozen=True)
class StoredProof:
    index: int
    leaf_count: int
    steps: list[merkle.ProofStep]


class TreeMissing(Exception):
    """No usable stored tree for this poll and root: rebuild it from the ballots."""


def proof(poll_id: int, root_hex: str, leaf: bytes) -> StoredProof | None:
    """The leaf's position and sibling path from the stored tree; None if the leaf is not in it.

    Reads the header, ~log2(n) nodes to find the leaf and one node per level for the path.
    Raises :class:`TreeMissing` when there is no file, or it does not match the root.
    """
    try:
        handle = path_of(poll_id, root_hex).open("rb")
    except FileNotFoundError:
        raise TreeMissing from None
    with handle:
        try:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file
            raise TreeMissing from None
        with data:
            return _proof_in(data, root_hex, leaf)


def _proof_in(data: mmap.mmap, root_hex: str, leaf: bytes) -> StoredProof | None:
    if len(data) < HEADER or data[: len(MAGIC)] != MAGIC:
        raise TreeMissing
    count = int.from_bytes(data[len(MAGIC) : HEADER], "big")
    sizes = level_sizes(count)
    starts = [HEADER]
    for size in sizes[:-1]:
        starts.append(starts[-1] + size * NODE)
    if count == 0 or len(data) != starts[-1] + NODE or data[starts[-1] :].hex() != root_hex:
        raise TreeMissing

    def node(level: int, position: int) -> bytes:
        offset = starts[level] + position * NODE
        return data[offset : offset + NODE]

    low, high = 0, count
    while low < high:  # the leftmost leaf >= ours: leaves are stored in ascending order
        middle = (low + high) // 2
        if node(0, middle) < leaf:
            low = middle + 1
        else:
            high = middle
    if low == count or node(0, low) != leaf:
        return None
    steps = []
    position = low
    for level, size in enumerate(sizes[:-1]):
        sibling = position ^ 1
        if sibling < size:
            steps.append(merkle.ProofStep(sibling=node(level, sibling), sibling_is_left=sibling < position))
        position //= 2
    return StoredProof(index=low, leaf_count=count, steps=steps)

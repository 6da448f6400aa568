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


def root_only(leaves: bytes) -> str:
    """The root (hex) over sorted, joined 32-byte leaves, as :func:`write` builds it, unstored."""
    if not leaves:
        return merkle.EMPTY_ROOT.hex()
    level = leaves
    while len(level) > NODE:
        level = _next_level(level)
    return level.hex()


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
    nodes = _Nodes(data, root_hex)
    low = nodes.first_at_least(leaf)
    if low == nodes.count or nodes.node(0, low) != leaf:
        return None
    return StoredProof(index=low, leaf_count=nodes.count, steps=nodes.path(low))


def block_proofs(poll_id: int, root_hex: str, prefix: bytes, block: int, most: int) -> list[IndexedProof]:
    """Proofs of every leaf in the aligned blocks of ``block`` leaves that hold the leaves
    starting with ``prefix`` (or, if none does, the block where such a leaf would be): never
    fewer than ``block`` leaves (unless the tree has fewer), so the prefix asked for does not
    single out one leaf. At most ``most`` leaves; raises :class:`TreeMissing` like :func:`proof`.
    """
    try:
        handle = path_of(poll_id, root_hex).open("rb")
    except FileNotFoundError:
        raise TreeMissing from None
    with handle:
        try:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:
            raise TreeMissing from None
        with data:
            nodes = _Nodes(data, root_hex)
            low = nodes.first_at_least(prefix.ljust(NODE, b"\x00"))
            high = nodes.first_at_least(_after(prefix)) if _after(prefix) else nodes.count
            start = low // block * block
            end = min(nodes.count, max(-(-high // block) * block, start + block))
            end = min(end, start + most)
            start = max(0, min(start, end - block))  # the last block may be short: reach back
            return [
                IndexedProof(index=i, leaf=nodes.node(0, i), steps=nodes.path(i)) for i in range(start, end)
            ]


@dataclass(frozen=True)
class IndexedProof:
    index: int
    leaf: bytes
    steps: list[merkle.ProofStep]


def _after(prefix: bytes) -> bytes:
    """The smallest 32-byte value greater than every value starting with ``prefix`` (b"" if none)."""
    value = int.from_bytes(prefix, "big") + 1
    if value >= 1 << (8 * len(prefix)):
        return b""
    return value.to_bytes(len(prefix), "big").ljust(NODE, b"\x00")


class _Nodes:
    """Reading a stored tree: its levels, a node, a search among the leaves, a sibling path."""

    def __init__(self, data: mmap.mmap, root_hex: str) -> None:
        if len(data) < HEADER or data[: len(MAGIC)] != MAGIC:
            raise TreeMissing
        self.data = data
        self.count = int.from_bytes(data[len(MAGIC) : HEADER], "big")
        self.sizes = level_sizes(self.count)
        self.starts = [HEADER]
        for size in self.sizes[:-1]:
            self.starts.append(self.starts[-1] + size * NODE)
        if (
            self.count == 0
            or len(data) != self.starts[-1] + NODE
            or data[self.starts[-1] :].hex() != root_hex
        ):
            raise TreeMissing

    def node(self, level: int, position: int) -> bytes:
        offset = self.starts[level] + position * NODE
        return self.data[offset : offset + NODE]

    def first_at_least(self, value: bytes) -> int:
        low, high = 0, self.count
        while low < high:
            middle = (low + high) // 2
            if self.node(0, middle) < value:
                low = middle + 1
            else:
                high = middle
        return low

    def path(self, position: int) -> list[merkle.ProofStep]:
        steps = []
        for level, size in enumerate(self.sizes[:-1]):
            sibling = position ^ 1
            if sibling < size:
                steps.append(
                    merkle.ProofStep(sibling=self.node(level, sibling), sibling_is_left=sibling < position)
                )
            position //= 2
        return steps

"""A Merkle tree over byte strings (SHA-256), with inclusion proofs.

Used for the daily ledger checkpoint and for verifiable poll counting. Leaves are hashed with a
0x00 prefix and inner nodes with 0x01 (RFC 6962 style) so a leaf can never pose as a node; an
odd node at the end of a level is promoted unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


def root_of_hashes(level: Sequence[bytes]) -> bytes:
    if not level:
        return EMPTY_ROOT
    nodes = list(level)
    while len(nodes) > 1:
        paired = [node_hash(nodes[i], nodes[i + 1]) for i in range(0, len(nodes) - 1, 2)]
        if len(nodes) % 2:
            paired.append(nodes[-1])
        nodes = paired
    return nodes[0]


def merkle_root(leaves: Sequence[bytes]) -> bytes:
    return root_of_hashes([leaf_hash(leaf) for leaf in leaves])


@dataclass(frozen=True)
class ProofStep:
    sibling: bytes
    sibling_is_left: bool


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int) -> list[ProofStep]:
    if not 0 <= index < len(leaf_hashes):
        raise IndexError(index)
    proof: list[ProofStep] = []
    nodes = list(leaf_hashes)
    position = index
    while len(nodes) > 1:
        sibling = position ^ 1
        if sibling < len(nodes):
            proof.append(ProofStep(sibling=nodes[sibling], sibling_is_left=sibling < position))
        paired = [node_hash(nodes[i], nodes[i + 1]) for i in range(0, len(nodes) - 1, 2)]
        if len(nodes) % 2:
            paired.append(nodes[-1])
        nodes = paired
        position //= 2
    return proof


def verify_inclusion(leaf: bytes, proof: Sequence[ProofStep], root: bytes) -> bool:
    current = leaf
    for step in proof:
        current = (
            node_hash(step.sibling, current) if step.sibling_is_left else node_hash(current, step.sibling)
        )
    return current == root

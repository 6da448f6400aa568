"""Sealing of ballots that wait for the mix (ADR 0003).

A pending ballot's row is written in the vote's own transaction, so it shares that
transaction's id and arrival order with the resident's participation and points transfer. It
is therefore sealed: AES-256-GCM under the platform's seal key (never in the database, the
repository or a log), with a random nonce and the poll's id as associated data, and padded to a
multiple of ``PAD_BYTES`` so that its length does not tell a short choice from a long one. The
mix opens pending ballots and writes them, shuffled, as plain ballots; the sealed rows are then
deleted, and with them every link to the voter.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PAD_BYTES = 1024
NONCE_BYTES = 12


@dataclass(frozen=True)
class SealedContent:
    """What the mix needs of one ballot: its receipt, its choices, the voter's home district and
    the "other" texts by question."""

    receipt_hash: str
    choices: str
    district_id: int | None
    others: list[tuple[int, str]]


@functools.cache
def _cipher(key_hex: str) -> AESGCM:
    key = bytes.fromhex(key_hex)
    if len(key) != 32:
        raise ValueError("GOROD_BALLOT_SEAL_KEY must be 64 hex digits (32 bytes)")
    return AESGCM(key)


def _associated(poll_id: int) -> bytes:
    return f"gorod-ballot:{poll_id}".encode()


def seal(poll_id: int, content: SealedContent) -> bytes:
    plain = json.dumps(
        [content.receipt_hash, content.choices, content.district_id, content.others],
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    # zero padding is safe: the JSON never ends in a NUL byte
    padded = plain + b"\x00" * (-len(plain) % PAD_BYTES or (0 if plain else PAD_BYTES))
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _cipher(settings.GOROD_BALLOT_SEAL_KEY).encrypt(nonce, padded, _associated(poll_id))


def unseal(poll_id: int, sealed: bytes) -> SealedContent:
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    padded = _cipher(settings.GOROD_BALLOT_SEAL_KEY).decrypt(nonce, body, _associated(poll_id))
    receipt_hash, choices, district_id, others = json.loads(padded.rstrip(b"\x00"))
    return SealedContent(
        receipt_hash=receipt_hash,
        choices=choices,
        district_id=district_id,
        others=[(int(q), str(t)) for q, t in others],
    )

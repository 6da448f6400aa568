"""Sealing of ballots that wait for the mix (ADR 0003).

A pending ballot's row is written in the vote's own transaction, so it shares that
transaction's id and arrival order with the resident's participation and points transfer. It
is therefore sealed to the current key epoch's **public** key (``custody.rules.seal_to``: X25519,
HKDF-SHA256, AES-256-GCM, the poll's id as associated data) and padded to a multiple of
``PAD_BYTES`` so that its length does not tell a short choice from a long one. The web processes
hold only that public key (GOROD_BALLOT_SEAL_PUBLIC_KEY); the private key is split among trustees
(``gorod.voting.custody``) and held, once k of them unlock it, only in the mixer's memory. The
mix opens pending ballots and writes them, shuffled, as plain ballots; the sealed rows are then
deleted, and with them every link to the voter.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from django.conf import settings

from gorod.voting.custody import keyring, rules
from gorod.voting.custody import services as custody_services

PAD_BYTES = 1024
_sealer = rules.Sealer()


class Locked(Exception):
    """This process does not hold the private key the ballot is sealed to."""


@dataclass(frozen=True)
class SealedContent:
    """What the mix needs of one ballot: its receipt, its choices, the voter's home district and
    the "other" texts by question."""

    receipt_hash: str
    choices: str
    district_id: int | None
    others: list[tuple[int, str]]


@functools.cache
def _public_key(configured: str, demo: bool, secret: str) -> bytes:
    if configured:
        key = bytes.fromhex(configured)
        rules.public_from(key)  # 32 bytes or a clear error at the first vote
        return key
    if not demo:
        raise rules.CustodyError("GOROD_BALLOT_SEAL_PUBLIC_KEY is not set")
    return rules.public_bytes(custody_services.demo_epoch_private())


def current_public_key() -> bytes:
    """The key epoch votes seal to now (configured; the demo's when the demo custody is on)."""
    return _public_key(
        settings.GOROD_BALLOT_SEAL_PUBLIC_KEY, settings.GOROD_BALLOT_DEMO_CUSTODY, settings.SECRET_KEY
    )


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
    return _sealer.seal(current_public_key(), padded, _associated(poll_id))


def key_id_of(sealed: bytes) -> bytes:
    return rules.box_key_id(sealed)


def unseal(poll_id: int, sealed: bytes, cache: dict | None = None) -> SealedContent:
    """``cache``: one dict per batch, so ballots sealed with one sender key cost one ECDH."""
    private = keyring.private_for(rules.box_key_id(sealed))
    if private is None:
        raise Locked()
    padded = rules.open_with(private, sealed, _associated(poll_id), cache)
    receipt_hash, choices, district_id, others = json.loads(padded.rstrip(b"\x00"))
    return SealedContent(
        receipt_hash=receipt_hash,
        choices=choices,
        district_id=district_id,
        others=[(int(q), str(t)) for q, t in others],
    )

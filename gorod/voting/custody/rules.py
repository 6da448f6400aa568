"""The custody's pure cryptography (ADR 0003, "Key custody"): a sealed box to an X25519 public
key, and Shamir's k-of-n split of a 32-byte private key.

Sealed box: an ephemeral X25519 key pair, ECDH with the recipient's public key, HKDF-SHA256
over the shared secret (salted with both public keys) gives an AES-256-GCM key; each box has its
own random 96-bit nonce. The box is ``version | key id | ephemeral public key | nonce |
ciphertext``; the header is authenticated with the caller's associated data. Only the holder of
the recipient's private key can open it; the sender cannot either, once the ephemeral key is gone.

An X25519 operation costs ~150 µs on our 2-core machine, so a fresh pair per ballot would add
~0.3 ms to every vote. :class:`Sealer` instead keeps one ephemeral pair per process for at most
``SENDER_SECONDS`` or ``SENDER_BOXES`` boxes (random nonces keep the boxes apart). Its private
half lives in that web process's memory only, which sees the choices in the clear anyway while
it seals them; a dump never holds it. The opener caches the shared key per ephemeral key.

Shamir: pycryptodome's ``Shamir`` (GF(2^128), 16-byte secrets) splits each half of the key with
the same indices; any k shares give the key back, k-1 give nothing about it. Combining shares
that do not belong together gives garbage silently, so :func:`combine` checks the result against
the epoch's public key.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time

from Crypto.Protocol.SecretSharing import Shamir
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = b"\x01"
KEY_ID_BYTES = 8
PUBLIC_BYTES = 32
NONCE_BYTES = 12
HEADER_BYTES = 1 + KEY_ID_BYTES + PUBLIC_BYTES + NONCE_BYTES
SENDER_SECONDS = 60.0
SENDER_BOXES = 4096
_RAW = serialization.Encoding.Raw
MAX_TRUSTEES = 255  # a share's index is one byte
DEMO_TRUSTEES = 3  # the demo's stand-in trustees, any two of whom unlock (custody.services)
DEMO_THRESHOLD = 2


class CustodyError(Exception):
    """A box that does not open, a share that does not fit, a key of the wrong size."""


def new_private() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def private_bytes(key: X25519PrivateKey) -> bytes:
    return key.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())


def private_from(raw: bytes) -> X25519PrivateKey:
    if len(raw) != 32:
        raise CustodyError("an X25519 private key is 32 bytes")
    return X25519PrivateKey.from_private_bytes(raw)


def public_bytes(key: X25519PrivateKey | X25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, X25519PrivateKey) else key
    return public.public_bytes(_RAW, serialization.PublicFormat.Raw)


def public_from(raw: bytes) -> X25519PublicKey:
    if len(raw) != PUBLIC_BYTES:
        raise CustodyError("an X25519 public key is 32 bytes")
    return X25519PublicKey.from_public_bytes(raw)


def key_id(public: bytes) -> bytes:
    """What a box names its recipient by: the first bytes of the public key's hash."""
    return hashlib.sha256(b"gorod-key-id:" + public).digest()[:KEY_ID_BYTES]


def _aead(shared: bytes, ephemeral: bytes, recipient: bytes) -> AESGCM:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=b"gorod-sealed-box-v1"
    ).derive(shared)
    return AESGCM(key)


def _box(ephemeral_public: bytes, aead: AESGCM, recipient: bytes, plain: bytes, associated: bytes) -> bytes:
    header = VERSION + key_id(recipient) + ephemeral_public + os.urandom(NONCE_BYTES)
    return header + aead.encrypt(header[-NONCE_BYTES:], plain, header + associated)


def seal_to(recipient: bytes, plain: bytes, associated: bytes) -> bytes:
    """A box with an ephemeral key of its own (trustees' shares; anything not on a hot path)."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = public_bytes(ephemeral)
    aead = _aead(ephemeral.exchange(public_from(recipient)), ephemeral_public, recipient)
    return _box(ephemeral_public, aead, recipient, plain, associated)


class Sealer:
    """Boxes to one recipient with an ephemeral key renewed every ``SENDER_SECONDS`` or
    ``SENDER_BOXES`` boxes (the vote's path: one AES-GCM instead of two X25519 operations)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: tuple[bytes, bytes, AESGCM, float] | None = None  # recipient, public, aead, until
        self._boxes = 0

    def seal(self, recipient: bytes, plain: bytes, associated: bytes) -> bytes:
        with self._lock:
            state = self._state
            if (
                state is None
                or state[0] != recipient
                or time.monotonic() >= state[3]
                or self._boxes >= SENDER_BOXES
            ):
                ephemeral = X25519PrivateKey.generate()
                ephemeral_public = public_bytes(ephemeral)
                aead = _aead(ephemeral.exchange(public_from(recipient)), ephemeral_public, recipient)
                state = self._state = (recipient, ephemeral_public, aead, time.monotonic() + SENDER_SECONDS)
                self._boxes = 0
            self._boxes += 1
        return _box(state[1], state[2], recipient, plain, associated)


def box_key_id(box: bytes) -> bytes:
    if len(box) < HEADER_BYTES or box[:1] != VERSION:
        raise CustodyError("not a sealed box of this version")
    return box[1 : 1 + KEY_ID_BYTES]


def open_with(
    private: X25519PrivateKey, box: bytes, associated: bytes, cache: dict[bytes, AESGCM] | None = None
) -> bytes:
    """The box's content; ``cache`` (ephemeral public key -> AES key) spares the ECDH for boxes
    of the same sender key, as the mix opens a batch."""
    recipient = public_bytes(private)
    if box_key_id(box) != key_id(recipient):
        raise CustodyError("the box is sealed to another key")
    header, body = box[:HEADER_BYTES], box[HEADER_BYTES:]
    ephemeral_public = header[1 + KEY_ID_BYTES : 1 + KEY_ID_BYTES + PUBLIC_BYTES]
    aead = cache.get(ephemeral_public) if cache is not None else None
    if aead is None:
        aead = _aead(private.exchange(public_from(ephemeral_public)), ephemeral_public, recipient)
    try:
        plain = aead.decrypt(header[-NONCE_BYTES:], body, header + associated)
    except Exception as exc:  # InvalidTag: tampered, or other associated data
        raise CustodyError("the box does not open with this key") from exc
    if cache is not None:
        cache[ephemeral_public] = aead
    return plain


def split(private: X25519PrivateKey, k: int, n: int) -> list[bytes]:
    """n shares of the key, any k of which give it back; share i is ``index | half 1 | half 2``."""
    if not 1 <= k <= n <= MAX_TRUSTEES:
        raise CustodyError("k of n needs 1 <= k <= n <= 255")
    raw = private_bytes(private)
    if k == 1:  # pycryptodome needs k >= 2; one-of-n is a copy per trustee
        return [bytes([i]) + raw for i in range(1, n + 1)]
    first, second = Shamir.split(k, n, raw[:16]), Shamir.split(k, n, raw[16:])
    return [bytes([i]) + a + b for (i, a), (_j, b) in zip(first, second, strict=True)]


def combine(shares: list[bytes], public: bytes) -> X25519PrivateKey:
    """The key from k shares, checked against its public key (wrong or too few shares fail)."""
    if not shares or any(len(s) != 33 for s in shares):
        raise CustodyError("a share is 33 bytes")
    if len({s[0] for s in shares}) != len(shares):
        raise CustodyError("the same share twice")
    try:
        if len(shares) == 1:
            raw = shares[0][1:]
        else:
            first = Shamir.combine([(s[0], s[1:17]) for s in shares])
            second = Shamir.combine([(s[0], s[17:]) for s in shares])
            raw = first + second
        key = private_from(raw)
    except (ValueError, CustodyError) as exc:
        raise CustodyError("the shares do not combine") from exc
    if public_bytes(key) != public:
        raise CustodyError("the shares do not give this epoch's key (too few, or not its shares)")
    return key

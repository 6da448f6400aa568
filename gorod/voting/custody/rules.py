"""The custody's pure cryptography (ADR 0003, "Key custody"): a sealed box to an X25519 public
key, and Shamir's k-of-n split of a 32-byte private key.

Sealed box: a fresh X25519 key pair per message, ECDH with the recipient's public key, HKDF-SHA256
over the shared secret (salted with both public keys) gives a one-time AES-256-GCM key. Because
the key is used once, the nonce can be fixed. The box is ``version | key id | ephemeral public
key | ciphertext``; the header is authenticated with the caller's associated data. Only the
holder of the recipient's private key can open it; the sender cannot either, once the ephemeral
key is gone.

Shamir: pycryptodome's ``Shamir`` (GF(2^128), 16-byte secrets) splits each half of the key with
the same indices; any k shares give the key back, k-1 give nothing about it. Combining shares
that do not belong together gives garbage silently, so :func:`combine` checks the result against
the epoch's public key.
"""

from __future__ import annotations

import hashlib

from Crypto.Protocol.SecretSharing import Shamir
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = b"\x01"
KEY_ID_BYTES = 8
PUBLIC_BYTES = 32
HEADER_BYTES = 1 + KEY_ID_BYTES + PUBLIC_BYTES
_NONCE = b"\x00" * 12  # the AES key is fresh for every box
_RAW = serialization.Encoding.Raw
MAX_TRUSTEES = 255  # a share's index is one byte


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


def seal_to(recipient: bytes, plain: bytes, associated: bytes) -> bytes:
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = public_bytes(ephemeral)
    shared = ephemeral.exchange(public_from(recipient))
    header = VERSION + key_id(recipient) + ephemeral_public
    return header + _aead(shared, ephemeral_public, recipient).encrypt(_NONCE, plain, header + associated)


def box_key_id(box: bytes) -> bytes:
    if len(box) < HEADER_BYTES or box[:1] != VERSION:
        raise CustodyError("not a sealed box of this version")
    return box[1 : 1 + KEY_ID_BYTES]


def open_with(private: X25519PrivateKey, box: bytes, associated: bytes) -> bytes:
    recipient = public_bytes(private)
    if box_key_id(box) != key_id(recipient):
        raise CustodyError("the box is sealed to another key")
    header, body = box[:HEADER_BYTES], box[HEADER_BYTES:]
    ephemeral_public = header[1 + KEY_ID_BYTES :]
    shared = private.exchange(public_from(ephemeral_public))
    try:
        return _aead(shared, ephemeral_public, recipient).decrypt(_NONCE, body, header + associated)
    except Exception as exc:  # InvalidTag: tampered, or other associated data
        raise CustodyError("the box does not open with this key") from exc


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

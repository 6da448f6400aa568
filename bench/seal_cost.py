"""What sealing one ballot costs the vote, before and after the key custody (ADR 0003).

Before: AES-256-GCM of the padded 1 KiB ballot under one online symmetric key. After: a sealed box
to the epoch's X25519 public key (a fresh key pair, one ECDH, HKDF, AES-256-GCM). Also what the
mix pays to open one. Single process, no database: ``.venv/bin/python bench/seal_cost.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("GOROD_BALLOT_DEMO_CUSTODY", "1")

import django

django.setup()

from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402

from gorod.voting import seal  # noqa: E402
from gorod.voting.custody import keyring, rules, services  # noqa: E402

ROUNDS, PER_ROUND = 7, 2000
CONTENT = seal.SealedContent(
    receipt_hash="ab" * 32, choices="101=1001;102=1004,1005", district_id=7, others=[]
)


def old_seal(cipher: AESGCM) -> bytes:
    import json

    plain = json.dumps([CONTENT.receipt_hash, CONTENT.choices, CONTENT.district_id, CONTENT.others]).encode()
    padded = plain + b"\x00" * (-len(plain) % seal.PAD_BYTES)
    nonce = os.urandom(12)
    return nonce + cipher.encrypt(nonce, padded, b"gorod-ballot:1")


def per_call_us(fn) -> tuple[float, float]:
    rounds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(PER_ROUND):
            fn()
        rounds.append((time.perf_counter() - start) / PER_ROUND * 1e6)
    return statistics.median(rounds), min(rounds)


def main() -> None:
    cipher = AESGCM(os.urandom(32))
    private = services.demo_epoch_private()
    keyring._keys[rules.key_id(rules.public_bytes(private))] = private  # as an unlocked mixer
    box = seal.seal(1, CONTENT)
    cache: dict = {}
    results = {
        "before: AES-GCM seal (online key)": per_call_us(lambda: old_seal(cipher)),
        "after: sealed box, fresh key per ballot": per_call_us(
            lambda: rules.seal_to(seal.current_public_key(), b"x" * seal.PAD_BYTES, b"gorod-ballot:1")
        ),
        "after: sealed box, sender key per minute": per_call_us(lambda: seal.seal(1, CONTENT)),
        "after: mix opens one, no cache": per_call_us(lambda: seal.unseal(1, box)),
        "after: mix opens one in a batch": per_call_us(lambda: seal.unseal(1, box, cache)),
    }
    for name, (median, best) in results.items():
        print(f"{name:42s} median {median:7.1f} µs   best {best:7.1f} µs")
    print(f"sealed size: {len(box)} bytes (before: {len(old_seal(cipher))})")
    keyring.forget()


if __name__ == "__main__":
    main()

"""Reads of the ballot seal's custody."""

from __future__ import annotations

from gorod.voting.custody import rules
from gorod.voting.custody.models import SealEpoch


def threshold_of(public_key: bytes) -> tuple[int, int] | None:
    """(k, n) of the epoch with this public key: trustees needed, trustees holding a share."""
    epoch = SealEpoch.objects.filter(key_id=rules.key_id(public_key)).first()
    return None if epoch is None else (epoch.threshold, epoch.shares.count())


def threshold_now(public_key: bytes, *, demo: bool) -> tuple[int, int]:
    """(k, n) of the epoch votes seal to; before it is in the database, the demo's 2 of 3 or the
    3 of 5 that ADR 0003 recommends."""
    if demo:
        return rules.DEMO_THRESHOLD, rules.DEMO_TRUSTEES
    return threshold_of(public_key) or (3, 5)

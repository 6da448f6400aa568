"""Key custody of the ballot seal (ADR 0003): registering trustees, making a key epoch (its
private key split k of n and forgotten), and a trustee's answer to a mixer's unlock request.

The process that makes an epoch sees its private key for the time of the split and writes it
nowhere (a "trusted dealer"; Belenios and ElectionGuard avoid even that with a distributed key
generation, which we leave for later: ADR 0003).
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from django.conf import settings
from django.db import IntegrityError, transaction

from gorod.voting.custody import rules
from gorod.voting.custody.models import SealEpoch, SealShare, Trustee, UnlockRequest, UnlockShare

DEMO_TRUSTEES = rules.DEMO_TRUSTEES
DEMO_THRESHOLD = rules.DEMO_THRESHOLD


def share_associated(key_id: bytes) -> bytes:
    return b"gorod-share:" + key_id


def unlock_associated(request_id: int) -> bytes:
    return f"gorod-unlock:{request_id}".encode()


@transaction.atomic
def trustee_register(*, name: str, public_key: bytes) -> Trustee:
    rules.public_from(public_key)  # refuses anything but 32 bytes
    return Trustee.objects.create(name=name.strip()[:100], public_key=public_key)


def _epoch_store(private: X25519PrivateKey, threshold: int, trustees: list[Trustee]) -> SealEpoch:
    if not 1 <= threshold <= len(trustees):
        raise rules.CustodyError(f"k = {threshold} needs at least k active trustees ({len(trustees)} now)")
    public = rules.public_bytes(private)
    epoch = SealEpoch.objects.create(key_id=rules.key_id(public), public_key=public, threshold=threshold)
    for trustee, share in zip(trustees, rules.split(private, threshold, len(trustees)), strict=True):
        sealed = rules.seal_to(bytes(trustee.public_key), share, share_associated(epoch.key_id))
        SealShare.objects.create(epoch=epoch, trustee=trustee, sealed=sealed)
    return epoch


@transaction.atomic
def epoch_create(*, threshold: int) -> SealEpoch:
    """A new key pair split among the active trustees, k = ``threshold``; its public key is what
    the web processes are then configured with (GOROD_BALLOT_SEAL_PUBLIC_KEY)."""
    trustees = list(Trustee.objects.filter(active=True).order_by("pk"))
    return _epoch_store(rules.new_private(), threshold, trustees)


@transaction.atomic
def unlock_give(*, trustee: Trustee, private: X25519PrivateKey) -> int:
    """The trustee opens their share of every epoch a mixer asks for and seals it again to that
    mixer's session key; the number of requests answered."""
    if rules.public_bytes(private) != bytes(trustee.public_key):
        raise rules.CustodyError(f"this is not {trustee.name}'s private key")
    given = 0
    for request in UnlockRequest.objects.select_related("epoch").exclude(given__trustee=trustee):
        share = SealShare.objects.filter(epoch=request.epoch, trustee=trustee).first()
        if share is None:
            continue
        plain = rules.open_with(private, bytes(share.sealed), share_associated(bytes(request.epoch.key_id)))
        sealed = rules.seal_to(bytes(request.session_key), plain, unlock_associated(request.pk))
        UnlockShare.objects.create(request=request, trustee=trustee, sealed=sealed)
        given += 1
    return given


# The demo's stand-in for real trustees: three trustees (two needed) whose private keys, and the
# epoch's, are derived from the demo's SECRET_KEY, so that every demo process can seal and the
# demo's mixer can unlock itself. Never with debug off: ``check --deploy`` fails (voting.E001).


def _demo_private(label: str) -> X25519PrivateKey:
    digest = hashlib.sha256(f"gorod-demo-custody:{label}:{settings.SECRET_KEY}".encode()).digest()
    return rules.private_from(digest)


def demo_trustee_privates() -> dict[str, X25519PrivateKey]:
    return {f"Demo trustee {i}": _demo_private(f"trustee-{i}") for i in range(1, DEMO_TRUSTEES + 1)}


def demo_epoch_private() -> X25519PrivateKey:
    return _demo_private("epoch")


def demo_custody_ensure() -> SealEpoch:
    """The demo's trustees and epoch, made once (idempotent, safe against a concurrent maker)."""
    public = rules.public_bytes(demo_epoch_private())
    existing = SealEpoch.objects.filter(key_id=rules.key_id(public)).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            trustees = [
                Trustee.objects.get_or_create(name=name, defaults={"public_key": rules.public_bytes(key)})[0]
                for name, key in demo_trustee_privates().items()
            ]
            return _epoch_store(demo_epoch_private(), DEMO_THRESHOLD, trustees)
    except IntegrityError:  # another process made it first
        return SealEpoch.objects.get(key_id=rules.key_id(public))

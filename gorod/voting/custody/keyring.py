"""The mixer's memory: the private keys of the epochs it has been given, and the session key by
which trustees hand it their shares (ADR 0003, "Key custody").

Nothing here is ever written to the database, a file or a log. A process starts locked; the
scheduler's :func:`unlock_requests_run` asks for each epoch that has ballots waiting (an
``UnlockRequest`` with this process's session public key), and once k trustees have answered
(``manage.py ballots_unlock``) it combines their shares, checks them against the epoch's public
key and keeps the key. Web processes never hold one: they seal to public keys only.
"""

from __future__ import annotations

import logging

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from django.conf import settings
from django.db import transaction

from gorod.voting.custody import rules, services
from gorod.voting.custody.models import SealEpoch, UnlockRequest

log = logging.getLogger(__name__)

_keys: dict[bytes, X25519PrivateKey] = {}
_session: X25519PrivateKey | None = None


def forget() -> None:
    """Drop every key and the session (a test's clean slate; a mixer's "lock now")."""
    global _session
    _keys.clear()
    _session = None


def _session_key() -> X25519PrivateKey:
    global _session
    if _session is None:
        _session = rules.new_private()
    return _session


def private_for(key_id: bytes) -> X25519PrivateKey | None:
    """The epoch's private key if this process holds it; the demo's mixer unlocks itself."""
    key = _keys.get(key_id)
    if key is None and settings.GOROD_BALLOT_DEMO_CUSTODY:
        demo = services.demo_epoch_private()
        if rules.key_id(rules.public_bytes(demo)) == key_id:
            epoch = services.demo_custody_ensure()
            key = unlock_with(epoch, list(services.demo_trustee_privates().values()))
    return key


def unlock_with(epoch: SealEpoch, trustee_keys: list[X25519PrivateKey]) -> X25519PrivateKey:
    """Combine the shares the given trustees' private keys open (all in this process: tests, the
    demo); refuses with fewer than k."""
    by_public = {rules.public_bytes(k): k for k in trustee_keys}
    shares = []
    for share in epoch.shares.select_related("trustee"):
        key = by_public.get(bytes(share.trustee.public_key))
        if key is not None:
            shares.append(
                rules.open_with(key, bytes(share.sealed), services.share_associated(bytes(epoch.key_id)))
            )
    if len(shares) < epoch.threshold:
        raise rules.CustodyError(f"{len(shares)} of the {epoch.threshold} shares needed")
    private = rules.combine(shares, bytes(epoch.public_key))
    _keys[bytes(epoch.key_id)] = private
    return private


@transaction.atomic
def unlock_requests_run(key_ids: set[bytes]) -> int:
    """Schedule step: for each epoch of ``key_ids`` not held, ask the trustees (once per process)
    and take the key when k have answered; the number of epochs unlocked now."""
    unlocked = 0
    session = _session_key()
    session_public = rules.public_bytes(session)
    for epoch in SealEpoch.objects.filter(key_id__in=[k for k in key_ids if k not in _keys]):
        request, created = UnlockRequest.objects.get_or_create(epoch=epoch, session_key=session_public)
        if created:
            log.warning("ballot seal epoch %s is locked: waiting for %s trustees", epoch.pk, epoch.threshold)
        given = list(request.given.all())
        if len(given) < epoch.threshold:
            continue
        shares = [
            rules.open_with(session, bytes(g.sealed), services.unlock_associated(request.pk)) for g in given
        ]
        try:
            _keys[bytes(epoch.key_id)] = rules.combine(shares, bytes(epoch.public_key))
        except rules.CustodyError:
            log.exception("the trustees' shares for epoch %s do not combine", epoch.pk)
            continue
        request.delete()  # its shares are sealed to a key that dies with this process anyway
        log.warning("ballot seal epoch %s unlocked by %s trustees", epoch.pk, len(given))
        unlocked += 1
    return unlocked

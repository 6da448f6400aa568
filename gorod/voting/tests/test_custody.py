"""Key custody of the ballot seal (ADR 0003): the adversary holds a full dump, the application's
files and its settings, but fewer than k trustees' private keys; a pending ballot must stay shut.
With k trustees it opens, and a mixer unlocked by k of them counts every ballot.

Real trustees here (3, any 2 needed), not the demo's stand-in: the demo's keys derive from
SECRET_KEY, which the adversary holds, and that is exactly what ``check --deploy`` refuses.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from django.core.management import call_command
from django.utils import timezone

from gorod.accounts.tests.factories import ResidentFactory
from gorod.voting import errors, mix, rules, seal, services
from gorod.voting.custody import keyring
from gorod.voting.custody import rules as crypto
from gorod.voting.custody import services as custody_services
from gorod.voting.custody.models import SealEpoch, SealShare, Trustee, UnlockRequest
from gorod.voting.models import Ballot, PendingBallot, Poll, PollStatus
from gorod.voting.tests.conftest import answers_for, make_poll

pytestmark = pytest.mark.django_db

VOTERS = 12


@pytest.fixture
def trustees(settings) -> Iterator[dict[str, X25519PrivateKey]]:
    """Three registered trustees (private keys kept by "them", here), an epoch of 2 of 3, and the
    web processes configured with its public key only; this process starts locked."""
    keys = {f"Trustee {i}": crypto.new_private() for i in range(1, 4)}
    for name, key in keys.items():
        custody_services.trustee_register(name=name, public_key=crypto.public_bytes(key))
    epoch = custody_services.epoch_create(threshold=2)
    settings.GOROD_BALLOT_DEMO_CUSTODY = False
    settings.GOROD_BALLOT_SEAL_PUBLIC_KEY = bytes(epoch.public_key).hex()
    keyring.forget()
    yield keys
    keyring.forget()


def _vote(poll: Poll, n: int = VOTERS) -> dict[str, str]:
    """receipt hash -> choices, the truth the adversary is after."""
    truth = {}
    for i in range(n):
        answers = answers_for(poll, first=i % 3, second=(i % 3,))
        receipt = services.ballot_cast(poll_id=poll.pk, resident=ResidentFactory(), answers=answers)
        truth[receipt.receipt_hash] = rules.canonical_choices(receipt.answers)
    return truth


def _pending(poll: Poll) -> list[bytes]:
    return [bytes(s) for s in PendingBallot.objects.filter(poll=poll).values_list("sealed", flat=True)]


def _opened(poll: Poll, key: X25519PrivateKey) -> dict[str, str]:
    return {
        c.receipt_hash: c.choices
        for c in (seal.SealedContent(*_unpack(key, poll, s)) for s in _pending(poll))
    }


def _unpack(key: X25519PrivateKey, poll: Poll, sealed: bytes) -> tuple:
    import json

    plain = crypto.open_with(key, sealed, f"gorod-ballot:{poll.pk}".encode())
    return tuple(json.loads(plain.rstrip(b"\x00")))


def test_shamir_any_k_shares_give_the_key_and_k_minus_1_do_not():
    key = crypto.new_private()
    public = crypto.public_bytes(key)
    shares = crypto.split(key, 3, 5)
    for chosen in itertools.combinations(shares, 3):
        assert crypto.private_bytes(crypto.combine(list(chosen), public)) == crypto.private_bytes(key)
    for chosen in itertools.combinations(shares, 2):
        with pytest.raises(crypto.CustodyError):
            crypto.combine(list(chosen), public)
    with pytest.raises(crypto.CustodyError):  # the same share twice is not two trustees
        crypto.combine([shares[0], shares[0], shares[1]], public)


def test_a_sealed_box_opens_only_with_its_key_and_its_associated_data():
    key, other = crypto.new_private(), crypto.new_private()
    box = crypto.seal_to(crypto.public_bytes(key), b"ballot", b"poll 1")
    assert crypto.open_with(key, box, b"poll 1") == b"ballot"
    for wrong_key, associated in ((other, b"poll 1"), (key, b"poll 2")):
        with pytest.raises(crypto.CustodyError):
            crypto.open_with(wrong_key, box, associated)
    tampered = box[:-1] + bytes([box[-1] ^ 1])
    with pytest.raises(crypto.CustodyError):
        crypto.open_with(key, tampered, b"poll 1")


def test_dump_files_and_settings_without_k_shares_open_no_pending_ballot(trustees, settings):
    poll = make_poll()
    truth = _vote(poll)
    # the process that took the votes holds no key; neither a mix nor an unseal opens anything
    with pytest.raises(seal.Locked):
        seal.unseal(poll.pk, _pending(poll)[0])
    assert mix.ballots_mix_due() == 0 and len(_pending(poll)) == VOTERS
    assert not Ballot.objects.filter(poll=poll).exists()
    epoch = SealEpoch.objects.get()
    # the settings' secrets: the demo's derived keys are not this epoch's, nor any trustee's
    assert crypto.public_bytes(custody_services.demo_epoch_private()) != bytes(epoch.public_key)
    demo_keys = list(custody_services.demo_trustee_privates().values())
    with pytest.raises(crypto.CustodyError):
        keyring.unlock_with(epoch, demo_keys)
    # the dump's key material: public keys and shares sealed to the trustees open no ballot
    material = (
        [bytes(epoch.public_key)]
        + [bytes(v) for v in SealShare.objects.values_list("sealed", flat=True)]
        + [bytes(v) for v in Trustee.objects.values_list("public_key", flat=True)]
    )
    for raw in material:
        for candidate in (raw[:32], raw[-32:]):
            with pytest.raises(crypto.CustodyError):
                _opened(poll, crypto.private_from(candidate))
    # one trustee (k - 1 = 1), each of them in turn: their share does not give the key
    for key in trustees.values():
        with pytest.raises(crypto.CustodyError):
            keyring.unlock_with(epoch, [key])
        with pytest.raises(seal.Locked):
            seal.unseal(poll.pk, _pending(poll)[0])
    # k trustees, any two: every pending ballot opens and says what was chosen
    for pair in itertools.combinations(trustees.values(), 2):
        keyring.forget()
        key = keyring.unlock_with(epoch, list(pair))
        assert _opened(poll, key) == truth


def test_a_close_while_locked_stops_voting_and_the_unlocked_mixer_counts_every_ballot(
    trustees, tmp_path: Path
):
    poll = make_poll()
    truth = _vote(poll)
    closed = services.poll_close(poll_id=poll.pk)
    # locked: voting stops now, nothing is counted or lost, the poll waits for the mixer
    assert closed.status == PollStatus.OPEN and closed.closes_at <= timezone.now()
    assert len(_pending(poll)) == VOTERS and not Ballot.objects.filter(poll=poll).exists()
    with pytest.raises(errors.PollClosed):
        services.ballot_cast(poll_id=poll.pk, resident=ResidentFactory(), answers=answers_for(poll))
    assert services.polls_close_due() == 0
    # the mixer asks (a session key in its memory only); one trustee answers: still locked
    assert mix.ballots_unlock_due() == 0
    request = UnlockRequest.objects.get()
    names = list(trustees)
    for name in names[:2]:
        key_file = tmp_path / name.replace(" ", "_")
        key_file.write_text(crypto.private_bytes(trustees[name]).hex())
        call_command("ballots_unlock", trustee=name, key_file=str(key_file))
        unlocked = mix.ballots_unlock_due()
        assert unlocked == (1 if name == names[1] else 0)
    # no share readable in the dump: each given share is sealed to the mixer's session key
    assert not UnlockRequest.objects.filter(pk=request.pk).exists()
    assert services.polls_close_due() == 1
    poll.refresh_from_db()
    assert poll.status == PollStatus.CLOSED and poll.ballot_count == VOTERS
    assert sorted(Ballot.objects.filter(poll=poll).values_list("choices", flat=True)) == sorted(
        truth.values()
    )


def test_a_wrong_key_file_gives_no_share(trustees, tmp_path: Path):
    poll = make_poll()
    _vote(poll, 1)
    mix.ballots_unlock_due()
    key_file = tmp_path / "wrong"
    key_file.write_text(crypto.private_bytes(trustees["Trustee 2"]).hex())
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("ballots_unlock", trustee="Trustee 1", key_file=str(key_file))
    assert not UnlockRequest.objects.get().given.exists()


def test_commands_register_trustees_and_make_an_epoch(tmp_path: Path, capsys):
    for i in range(3):
        call_command("ballots_trustee_add", f"T{i}", generate=str(tmp_path / f"t{i}.key"))
    assert oct((tmp_path / "t0.key").stat().st_mode & 0o777) == "0o600"
    call_command("ballots_epoch_new", k=2)
    out = capsys.readouterr().out
    epoch = SealEpoch.objects.get()
    assert f"GOROD_BALLOT_SEAL_PUBLIC_KEY={bytes(epoch.public_key).hex()}" in out
    assert epoch.threshold == 2 and epoch.shares.count() == 3
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):  # k above n
        call_command("ballots_epoch_new", k=4)
    assert SealEpoch.objects.count() == 1

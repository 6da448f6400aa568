"""Key custody of the ballot seal (ADR 0003): trustees, key epochs, the epochs' private keys split
among the trustees, and the unlock requests by which k trustees hand a running mixer the key.

Nothing here opens a ballot without k trustees: the epoch's private key is stored only as shares,
each sealed to one trustee's public key; an unlock share is sealed to the mixer's session key,
which lives in that process's memory only and dies with it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Trustee(models.Model):
    """A person who holds a share of each epoch's key; they keep their private key, we keep only
    the public one."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=100, unique=True)
    public_key = models.BinaryField(_("public key"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        app_label = "voting"
        verbose_name = _("ballot trustee")
        verbose_name_plural = _("ballot trustees")

    def __str__(self) -> str:
        return self.name


class SealEpoch(models.Model):
    """One seal key pair: ballots are sealed to its public key; its private key exists only as
    ``shares`` (k of n). The newest epoch is the one votes seal to."""

    key_id = models.BinaryField(_("key id"), max_length=8, unique=True)
    public_key = models.BinaryField(_("public key"))
    threshold = models.PositiveSmallIntegerField(_("trustees needed (k)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        app_label = "voting"
        verbose_name = _("ballot seal epoch")
        verbose_name_plural = _("ballot seal epochs")


class SealShare(models.Model):
    """A trustee's share of an epoch's private key, sealed to that trustee's public key."""

    epoch = models.ForeignKey(SealEpoch, on_delete=models.CASCADE, related_name="shares")
    trustee = models.ForeignKey(Trustee, on_delete=models.PROTECT, related_name="shares")
    sealed = models.BinaryField()

    class Meta:
        app_label = "voting"
        constraints = [models.UniqueConstraint(fields=["epoch", "trustee"], name="one_share_per_trustee")]


class UnlockRequest(models.Model):
    """A mixer process asks for an epoch's key: ``session_key`` is the public half of a key pair
    that exists only in that process's memory."""

    epoch = models.ForeignKey(SealEpoch, on_delete=models.CASCADE, related_name="unlock_requests")
    session_key = models.BinaryField()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        app_label = "voting"


class UnlockShare(models.Model):
    """A trustee's share, opened by the trustee and sealed again to one request's session key."""

    request = models.ForeignKey(UnlockRequest, on_delete=models.CASCADE, related_name="given")
    trustee = models.ForeignKey(Trustee, on_delete=models.CASCADE, related_name="+")
    sealed = models.BinaryField()

    class Meta:
        app_label = "voting"
        constraints = [models.UniqueConstraint(fields=["request", "trustee"], name="one_unlock_per_trustee")]

"""Invitations of neighbours by link: single use, expiring, redeemed by a link request."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gorod.housing.models.buildings import Building, PremiseLink


class Invitation(models.Model):
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="invitations")
    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("inviter")
    )
    # Random; the link carries it signed with the site's key, so a guessed or altered link fails.
    nonce = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invitee"),
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    # The link request made through the invitation; its confirmation rewards the inviter.
    link = models.OneToOneField(
        PremiseLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(invitee__isnull=True) | Q(accepted_at__isnull=False),
                name="housing_invitation_accepted_at",
            ),
        ]
        indexes = [models.Index(fields=["inviter", "-created_at"], name="housing_invitation_inviter")]

    def __str__(self) -> str:
        return f"{self.inviter} → {self.building}"

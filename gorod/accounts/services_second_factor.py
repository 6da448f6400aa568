"""Writes about staff's second factor: an authenticator app (TOTP) and recovery codes (django-otp)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gorod.accounts.errors import WrongSecondFactorCode
from gorod.accounts.models import Resident
from gorod.core.logs import log_action

RECOVERY_CODES = 10
AUTHENTICATOR = "authenticator"
RECOVERY = "recovery codes"


@transaction.atomic
def authenticator_start(*, resident: Resident) -> TOTPDevice:
    """The resident's authenticator waiting to be confirmed (one at a time), made if none is."""
    device = TOTPDevice.objects.filter(user=resident, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=resident, name=AUTHENTICATOR, confirmed=False)
    return device


@transaction.atomic
def authenticator_confirm(*, resident: Resident, device_id: int, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator with a code it shows; replaces any older one and issues recovery
    codes (returned once, stored as django-otp stores them)."""
    device = (
        TOTPDevice.objects.select_for_update().filter(pk=device_id, user=resident, confirmed=False).first()
    )
    if device is None or not device.verify_token(code.strip().replace(" ", "")):
        raise WrongSecondFactorCode(field="code")
    TOTPDevice.objects.filter(user=resident).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_replace(resident)
    log_action("resident.second_factor_enrolled", resident=resident.pk)
    return device, codes


def _recovery_codes_replace(resident: Resident) -> list[str]:
    StaticDevice.objects.filter(user=resident).delete()
    device = StaticDevice.objects.create(user=resident, name=RECOVERY, confirmed=True)
    codes = [secrets.token_hex(8) for _ in range(RECOVERY_CODES)]  # 16 characters, what a token holds
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def recovery_codes_issue(*, resident: Resident) -> list[str]:
    """New recovery codes; the old ones stop working."""
    codes = _recovery_codes_replace(resident)
    log_action("resident.recovery_codes_issued", resident=resident.pk)
    return codes

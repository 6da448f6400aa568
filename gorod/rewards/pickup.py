"""Signed pickup codes and their QR images.

The code a resident shows is ``<order code>:<signature>``; the signature is Django's salted
HMAC (``django.core.signing``) shortened to 12 characters (72 bits) so staff can still type it
when a scanner is not at hand. A forged or mistyped code fails the signature check before any
order is looked up.

Residents also read their order number out loud at the desk. The number alone proves nothing:
partner staff see every number of their partner in the order list, so a number alone would let
staff hand over (and collect the points of) an order whose resident never came. A number therefore
only *finds* the order; handing it over needs the order's check, eight digits shown on the
resident's order page next to the QR code, derived with a separate salted HMAC so that nobody
without the site's secret key can compute it. Eight digits (10**8 values) cannot be guessed online
by a named, accountable staff account, yet are easy to read out like a phone number.
"""

from __future__ import annotations

import segno
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from gorod.rewards.errors import PickupCodeInvalid

SIGNATURE_LENGTH = 12
_SALT = "gorod.rewards.pickup"
_CHECK_SALT = "gorod.rewards.pickup.check"
CHECK_DIGITS = 8


class _PickupSigner(signing.Signer):
    def signature(self, value: str, key: str | bytes | None = None) -> str:  # type: ignore[override]
        return super().signature(value, key)[:SIGNATURE_LENGTH]


def _signer() -> _PickupSigner:
    return _PickupSigner(salt=_SALT, algorithm="sha256")


def sign(order_code: str) -> str:
    return _signer().sign(order_code)


def unsign(signed_code: str) -> str:
    """The order code inside a signed pickup code, or ``PickupCodeInvalid``."""
    cleaned = "".join(signed_code.split())
    if not cleaned or len(cleaned) > 64:
        raise PickupCodeInvalid(field="code")
    try:
        return _signer().unsign(cleaned)
    except signing.BadSignature:
        raise PickupCodeInvalid(field="code") from None


def looks_signed(typed: str) -> bool:
    """A signed code has a separator; an order number (rules.CODE_ALPHABET) never does."""
    return signing.Signer().sep in typed


def check(order_code: str) -> str:
    """The order's check digits, shown to the resident, to confirm a hand-over by order number."""
    digest = salted_hmac(_CHECK_SALT, order_code, algorithm="sha256").digest()
    return str(int.from_bytes(digest[:8], "big") % 10**CHECK_DIGITS).zfill(CHECK_DIGITS)


def check_matches(order_code: str, typed: str) -> bool:
    return constant_time_compare(check(order_code), "".join(typed.split()))


def qr_svg(signed_code: str, *, scale: int = 6) -> str:
    """An inline SVG of the QR code (no script, safe under the site's CSP)."""
    return str(segno.make(signed_code, error="m").svg_inline(scale=scale, title=signed_code))

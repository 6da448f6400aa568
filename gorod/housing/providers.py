"""Payment providers: the contract a real acquiring bank's adapter fulfils, and the fake bank.

Which providers are live is a setting, ``PAYMENT_PROVIDERS`` (env ``GOROD_PAYMENT_PROVIDERS``):
dotted paths of adapter classes; the first one is used for new payments. The fake bank moves no
money, so it is only ever the default with debug on: with debug off the settings refuse to load
it and ``check --deploy`` fails while any provider with ``moves_money = False`` is configured.

Contract for a provider adapter (README, "Plugging in a bank"):

- ``code``: a short stable name stored on each payment; the callback URL is
  ``POST /api/v1/home/payments/callback/<code>``.
- ``moves_money``: ``True`` for a real acquirer.
- ``checkout_url(payment)``: where the payer's browser goes to pay ``payment.amount`` kopecks
  for the payment ``payment.reference``.
- ``verify_callback(body, signature, now)``: authenticate a server-to-server callback and
  return a ``CallbackEvent``. The body is JSON ``{"event_id", "reference", "state", "amount"}``
  with ``state`` one of processing / done / failed / refunded and ``amount`` in kopecks. The
  signature comes in the HTTP header ``X-Bank-Signature`` (``SIGNATURE_HEADER``) as
  ``t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``; callbacks older or newer than
  ``TOLERANCE`` seconds are refused as possible replays. Providers retry a callback until they
  get a 2xx; the same ``event_id`` again is acknowledged without a second effect.
- a refund is confirmed with a ``refunded`` callback (the fake bank confirms at once).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

from gorod.housing import errors
from gorod.housing.models import Payment

TOLERANCE = dt.timedelta(minutes=5)
SIGNATURE_HEADER = "X-Bank-Signature"
FAKE_BANK_PATH = "gorod.housing.providers.FakeBank"


@dataclass(frozen=True)
class CallbackEvent:
    event_id: str
    reference: str
    state: str
    amount: int


class PaymentProvider(Protocol):
    code: str
    moves_money: bool

    def checkout_url(self, payment: Payment) -> str: ...

    def verify_callback(self, *, body: bytes, signature: str, now: dt.datetime) -> CallbackEvent: ...


def sign(secret: bytes, body: bytes, timestamp: int) -> str:
    digest = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(secret: bytes, body: bytes, signature: str, now: dt.datetime) -> None:
    parts = dict(item.split("=", 1) for item in signature.split(",") if "=" in item)
    timestamp, given = parts.get("t", ""), parts.get("v1", "")
    if not timestamp.isdigit() or not given:
        raise errors.CallbackSignatureInvalid()
    expected = sign(secret, body, int(timestamp)).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, given):
        raise errors.CallbackSignatureInvalid()
    sent = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
    if abs(now - sent) > TOLERANCE:
        raise errors.CallbackStale()


def parse_event(body: bytes) -> CallbackEvent:
    try:
        data = json.loads(body)
        event = CallbackEvent(
            event_id=str(data["event_id"]),
            reference=str(data["reference"]),
            state=str(data["state"]),
            amount=int(data["amount"]),
        )
    except (ValueError, KeyError, TypeError):
        raise errors.CallbackSignatureInvalid() from None
    if event.state not in {"processing", "done", "failed", "refunded"} or len(event.event_id) > 64:
        raise errors.CallbackSignatureInvalid()
    return event


class FakeBank:
    """A local bank page for the demo: the payer confirms or declines, and the bank calls back
    with a signed callback, like a real acquirer would."""

    code = "fakebank"
    moves_money = False

    @staticmethod
    def secret() -> bytes:
        configured = getattr(settings, "HOUSING_FAKE_BANK_SECRET", "")
        if configured:
            return str(configured).encode()
        return hmac.new(settings.SECRET_KEY.encode(), b"gorod.housing.fakebank", hashlib.sha256).digest()

    def checkout_url(self, payment: Payment) -> str:
        return reverse("housing:fakebank", args=[payment.reference])

    def verify_callback(self, *, body: bytes, signature: str, now: dt.datetime) -> CallbackEvent:
        verify_signature(self.secret(), body, signature, now)
        return parse_event(body)

    def signed_callback(
        self, *, reference: str, state: str, amount: int, now: dt.datetime
    ) -> tuple[bytes, str]:
        body = json.dumps(
            {"event_id": f"{reference}:{state}", "reference": reference, "state": state, "amount": amount},
            sort_keys=True,
        ).encode()
        return body, sign(self.secret(), body, int(now.timestamp()))


@lru_cache(maxsize=4)
def _load(paths: tuple[str, ...]) -> dict[str, PaymentProvider]:
    loaded: dict[str, PaymentProvider] = {}
    for path in paths:
        adapter = import_string(path)()
        loaded[adapter.code] = adapter
    return loaded


def configured() -> dict[str, PaymentProvider]:
    """The live providers by code, in the order the setting lists them."""
    return _load(tuple(getattr(settings, "PAYMENT_PROVIDERS", ())))


def provider(code: str) -> PaymentProvider:
    try:
        return configured()[code]
    except KeyError:
        raise errors.PaymentNotFound() from None


def default_code() -> str:
    """The provider new payments go to; none configured means residents cannot pay online."""
    for code in configured():
        return code
    raise errors.PaymentsUnavailable()


def fake_bank_live() -> bool:
    return FakeBank.code in configured()


def checkout_url(payment: Payment) -> str:
    """Where to send the payer; empty once the payment's provider is no longer configured."""
    adapter = configured().get(payment.provider)
    return adapter.checkout_url(payment) if adapter is not None else ""

"""Background work of Electronic Home (ids in, never model instances)."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request

from django.utils import timezone
from django_tasks import task

from gorod.housing.models import Payment
from gorod.housing.providers import FakeBank

log = logging.getLogger("gorod.housing")


@task()
def fake_bank_call_back(reference: str, outcome: str, callback_url: str) -> bool:
    """The fake bank's server calls our callback endpoint over HTTP, signed, like a real
    acquirer: first 'processing', then the payer's outcome ('done' or 'failed')."""
    payment = Payment.objects.filter(reference=reference).only("amount").first()
    if payment is None:
        return False
    bank = FakeBank()
    for state in ("processing", outcome):
        body, signature = bank.signed_callback(
            reference=reference, state=state, amount=payment.amount, now=timezone.now()
        )
        request = urllib.request.Request(  # noqa: S310 - our own callback URL, built by reverse()
            callback_url,
            data=body,
            headers={"Content-Type": "application/json", "X-Bank-Signature": signature},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10):  # noqa: S310
                pass
        except urllib.error.HTTPError as exc:
            if exc.code != 409:  # 409: the payment already moved on; nothing to retry
                log.warning("fake bank callback %s for %s answered %s", state, reference, exc.code)
                return False
        except (urllib.error.URLError, TimeoutError):
            log.warning("fake bank could not reach %s", callback_url)
            return False
    return True

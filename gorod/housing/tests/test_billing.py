from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from conftest import postgres_only
from gorod.accounts.tests.factories import ResidentFactory
from gorod.core.errors import DomainError
from gorod.housing import errors
from gorod.housing.billing import services
from gorod.housing.models import Bill, Payment, PaymentEvent, PaymentState
from gorod.housing.providers import FakeBank, sign
from gorod.housing.tests.factories import BillFactory, LinkFactory
from gorod.points import selectors as points
from gorod.points.checks import ledger_mismatches
from gorod.points.models import Transfer

pytestmark = pytest.mark.django_db
BANK = FakeBank()


def callback(payment, state, *, now=None, amount=None):
    now = now or timezone.now()
    body, signature = BANK.signed_callback(
        reference=payment.reference, state=state, amount=amount or payment.amount, now=now
    )
    return services.payment_callback(provider_code="fakebank", body=body, signature=signature, now=now)


@pytest.fixture
def bill(premise):
    return BillFactory(premise=premise, amount_due=654_321)


def test_paid_bill_gives_five_percent_of_the_roubles_back_once(bill, owner):
    payment = services.payment_start(bill=bill, payer=owner)
    assert payment.amount == 654_321
    callback(payment, "processing")
    callback(payment, "done")
    callback(payment, "done")
    payment.refresh_from_db()
    bill.refresh_from_db()
    # 6,543.21 ₽ paid: 5% is 327.16 ₽, so 327 points (a point is a rouble), not 32,716.
    assert payment.state == "done" and payment.cashback == 327
    assert bill.is_paid and points.balance(owner).balance == 327
    assert Transfer.objects.filter(source_key=f"payment:{payment.pk}").count() == 1
    with pytest.raises(errors.BillAlreadyPaid):
        services.payment_start(bill=bill, payer=owner)
    assert Payment.objects.count() == 1


def test_partial_payments_add_up(bill, owner):
    first = services.payment_start(bill=bill, payer=owner, amount=400_000)
    with pytest.raises(errors.PaymentInProgress):
        services.payment_start(bill=bill, payer=owner, amount=1)
    callback(first, "done")
    with pytest.raises(errors.PaymentAmountInvalid):
        services.payment_start(bill=bill, payer=owner, amount=254_322)
    second = services.payment_start(bill=bill, payer=owner)
    assert second.amount == 254_321
    callback(second, "done")
    bill.refresh_from_db()
    # 4,000.00 ₽ → 200 points; 2,543.21 ₽ → 127 points (127.16 rounded down)
    assert bill.is_paid and points.balance(owner).balance == 200 + 127


def test_declined_payment_frees_the_bill_and_gives_nothing(bill, owner):
    payment = services.payment_start(bill=bill, payer=owner)
    callback(payment, "failed")
    with pytest.raises(errors.PaymentStateBackwards):
        callback(payment, "done")
    assert Payment.objects.get(pk=payment.pk).state == "failed"
    assert points.balance(owner).balance == 0
    assert services.payment_start(bill=bill, payer=owner).state == "created"


def test_state_never_moves_backwards_and_refused_event_is_not_recorded(bill, owner):
    payment = services.payment_start(bill=bill, payer=owner)
    callback(payment, "done")
    events = PaymentEvent.objects.count()
    with pytest.raises(errors.PaymentStateBackwards):
        callback(payment, "processing")
    assert PaymentEvent.objects.count() == events
    assert Payment.objects.get(pk=payment.pk).state == "done"


def test_forged_and_replayed_callbacks_are_refused(bill, owner):
    payment = services.payment_start(bill=bill, payer=owner)
    now = timezone.now()
    body, signature = BANK.signed_callback(
        reference=payment.reference, state="done", amount=payment.amount, now=now
    )
    forged = sign(b"not-the-secret", body, int(now.timestamp()))
    tampered = body.replace(b'"done"', b'"refunded"')
    for bad_body, bad_signature, error in [
        (body, forged, errors.CallbackSignatureInvalid),
        (tampered, signature, errors.CallbackSignatureInvalid),
        (body, "garbage", errors.CallbackSignatureInvalid),
    ]:
        with pytest.raises(error):
            services.payment_callback(
                provider_code="fakebank", body=bad_body, signature=bad_signature, now=now
            )
    with pytest.raises(errors.CallbackStale):
        services.payment_callback(
            provider_code="fakebank", body=body, signature=signature, now=now + dt.timedelta(minutes=6)
        )
    with pytest.raises(errors.CallbackSignatureInvalid):
        callback(payment, "done", amount=1)
    assert Payment.objects.get(pk=payment.pk).state == "created"
    assert not PaymentEvent.objects.exists() and points.balance(owner).balance == 0


def test_refund_reverses_cashback_even_into_debt(bill, owner, administrator):
    payment = services.payment_start(bill=bill, payer=owner)
    callback(payment, "done")
    from gorod.points import accounts
    from gorod.points import services_spend as ledger

    ledger.spend(
        resident=owner, to_account=accounts.expired_account(), amount=300, reason="test", source_key="t"
    )
    services.payment_refund(payment=payment, actor=administrator, reason="double charge")
    callback(payment, "refunded")
    payment.refresh_from_db()
    bill.refresh_from_db()
    assert payment.state == "refunded" and bill.amount_paid == 0
    # 327 earned, 300 spent, 327 taken back: a debt of 300 shown to the resident
    assert points.balance(owner).balance == -300
    assert Transfer.objects.filter(source_key=f"refund:{payment.pk}").count() == 1
    assert ledger_mismatches()[0] == []


def test_refund_by_another_buildings_staff_is_refused(bill, owner):
    payment = services.payment_start(bill=bill, payer=owner)
    callback(payment, "done")
    with pytest.raises(errors.NotYourBuilding):
        services.payment_refund(payment=payment, actor=ResidentFactory(), reason="x")
    assert Payment.objects.get(pk=payment.pk).state == "done"


def test_someone_elses_bill_cannot_be_paid(bill):
    stranger = ResidentFactory()
    with pytest.raises(errors.NotYourBill):
        services.payment_start(bill=bill, payer=stranger)
    LinkFactory(resident=stranger, premise=bill.premise, status="rejected")
    with pytest.raises(errors.NotYourBill):
        services.payment_start(bill=bill, payer=stranger)
    assert not Payment.objects.exists()


def test_abandoned_payment_stops_blocking_after_half_an_hour(bill, owner):
    payment = services.payment_start(bill=bill, payer=owner)
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - dt.timedelta(minutes=31))
    assert services.payment_start(bill=bill, payer=owner).pk != payment.pk
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.FAILED


def test_callback_endpoint_checks_signature(bill, owner, client):
    payment = services.payment_start(bill=bill, payer=owner)
    now = timezone.now()
    body, signature = BANK.signed_callback(
        reference=payment.reference, state="done", amount=payment.amount, now=now
    )
    url = "/api/v1/home/payments/callback/fakebank"
    bad = client.post(url, data=body, content_type="application/json", HTTP_X_BANK_SIGNATURE="t=1,v1=00")
    assert bad.status_code == 401 and bad.json()["code"] == "callback_signature_invalid"
    for _ in range(2):
        ok = client.post(url, data=body, content_type="application/json", HTTP_X_BANK_SIGNATURE=signature)
        # The answer tells the cashback awarded (it said 0 while points were paid).
        assert ok.status_code == 200 and ok.json()["state"] == "done" and ok.json()["cashback"] == 327
    assert points.balance(owner).balance == 327


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_callbacks_apply_once(premise, owner):
    bill = BillFactory(premise=premise, amount_due=100_000)
    payment = services.payment_start(bill=bill, payer=owner)
    now = timezone.now()
    body, signature = BANK.signed_callback(
        reference=payment.reference, state="done", amount=payment.amount, now=now
    )
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def deliver() -> None:
        try:
            barrier.wait()
            services.payment_callback(provider_code="fakebank", body=body, signature=signature, now=now)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == ["ok"] * 8
    assert Bill.objects.get(pk=bill.pk).amount_paid == 100_000
    assert PaymentEvent.objects.filter(payment=payment).count() == 1
    assert Transfer.objects.filter(source_key=f"payment:{payment.pk}").count() == 1
    assert points.balance(owner).balance == 50  # 1,000 ₽ → 50 points
    assert ledger_mismatches()[0] == []


def test_cashback_of_a_bill_with_kopecks_is_rounded_down_in_points(premise, owner):
    # The figure: a 4,567.89 ₽ bill earns 228 points (5% = 228.39 ₽), not 22,839.
    bill = BillFactory(premise=premise, amount_due=456_789)
    payment = services.payment_start(bill=bill, payer=owner)
    assert callback(payment, "done").cashback == 228
    assert points.balance(owner).balance == 228


def test_bill_page_heading_reads_as_russian(bill, owner, client):
    """«Счёт за Ноябрь 2026»: the month, as the locale names it on its own (capitalised), put in
    the middle of a sentence."""
    client.force_login(owner)
    client.cookies["django_language"] = "ru"
    page = client.get(f"/housing/bills/{bill.pk}/").content.decode()
    heading = page[page.index("<h1>") : page.index("</h1>")]
    assert heading.startswith("<h1>Счёт: ") and " за " not in heading

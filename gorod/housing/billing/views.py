"""Resident pages of bills: my bills, a bill and paying it, a payment's state, the fake bank."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.housing import providers
from gorod.housing.billing import selectors as billing_selectors
from gorod.housing.billing import services as services_billing
from gorod.housing.billing.forms import PaymentForm
from gorod.housing.models import Payment, PaymentState
from gorod.housing.tasks import fake_bank_call_back
from gorod.points import selectors as points


@login_required
def bills(request: HttpRequest) -> HttpResponse:
    page = Paginator(billing_selectors.my_bills(resident_of(request)), 12).get_page(request.GET.get("page"))
    return render(request, "housing/bills.html", {"page": page})


@login_required
def bill_detail(request: HttpRequest, bill_id: int) -> HttpResponse:
    try:
        bill = billing_selectors.bill_for(resident_of(request), bill_id)
    except DomainError as exc:
        raise Http404(exc.text) from None
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rubles = form.cleaned_data["amount_rubles"]
        amount = int(rubles * 100) if rubles else None
        try:
            payment = services_billing.payment_start(bill=bill, payer=resident_of(request), amount=amount)
        except DomainError as exc:
            form.add_error("amount_rubles", exc.text)
        else:
            return redirect(providers.checkout_url(payment))
    return render(
        request, "housing/bill.html", {"bill": bill, "form": form}, status=422 if form.errors else 200
    )


@login_required
def payment_status(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        payment = billing_selectors.payment_for(resident_of(request), reference)
    except DomainError as exc:
        raise Http404(exc.text) from None
    waiting = payment.state in (PaymentState.CREATED, PaymentState.PROCESSING)
    template = "housing/_payment_state.html" if request.headers.get("HX-Request") else "housing/payment.html"
    return render(
        request,
        template,
        {"payment": payment, "waiting": waiting, "balance": points.balance(resident_of(request))},
    )


@login_required
def _fake_bank_page(request: HttpRequest, reference: str) -> HttpResponse:
    """The fake bank's checkout page (stands in for the acquirer's site in the demo). It exists
    only while the fake bank is a configured provider, which the settings allow with debug on."""
    payment = Payment.objects.select_related("bill__premise__building").filter(reference=reference).first()
    if payment is None or payment.payer_id != resident_of(request).pk:
        raise Http404
    if request.method == "POST":
        outcome = "done" if request.POST.get("decision") == "confirm" else "failed"
        if payment.state == PaymentState.CREATED:
            callback_url = request.build_absolute_uri(
                reverse("api:housing_payment_callback", kwargs={"provider_code": payment.provider})
            )
            fake_bank_call_back.enqueue(reference, outcome, callback_url)
        return redirect("housing:payment", reference=reference)
    return render(request, "housing/fakebank.html", {"payment": payment})


@require_http_methods(["GET", "POST"])
def fake_bank(request: HttpRequest, reference: str) -> HttpResponse:
    """The page exists only while the fake bank is a live provider: 404 for everyone otherwise,
    before any sign-in redirect."""
    if not providers.fake_bank_live():
        raise Http404
    return _fake_bank_page(request, reference)

"""Resident pages: my home, meters and readings, bills and payment, the fake bank page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gorod.core.errors import DomainError
from gorod.housing import providers
from gorod.housing.billing import selectors as billing_selectors
from gorod.housing.billing import services as services_billing
from gorod.housing.board import selectors as selectors_board
from gorod.housing.buildings import selectors as buildings_selectors
from gorod.housing.buildings import services as services_buildings
from gorod.housing.buildings.selectors import HousingBuildingDirectory
from gorod.housing.errors import PremiseNotFound
from gorod.housing.forms import LinkRequestForm, PaymentForm
from gorod.housing.meters import selectors as meters_selectors
from gorod.housing.meters import services as services_meters
from gorod.housing.models import Payment, PaymentState, Premise
from gorod.housing.surveys.selectors import surveys_of
from gorod.housing.tasks import fake_bank_call_back
from gorod.points import selectors as points


def _me(request: HttpRequest):  # type: ignore[no-untyped-def]
    return request.user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    from gorod.housing.meetings import selectors as selectors_meetings

    return render(
        request,
        "housing/home.html",
        {
            "links": list(buildings_selectors.my_links(me)[:20]),
            "meters": list(meters_selectors.my_meters(me)[:30]),
            "bills": [b for b in billing_selectors.my_bills(me)[:6] if not b.is_paid],
            "meetings": list(selectors_meetings.my_meetings(me)[:10]),
            "surveys": surveys_of(HousingBuildingDirectory().buildings_of(int(me.pk or 0))),
            "link_form": LinkRequestForm(),
            "board_buildings": list(selectors_board.my_buildings(me)),
        },
    )


@login_required
@require_POST
def link_request(request: HttpRequest) -> HttpResponse:
    form = LinkRequestForm(request.POST)
    if form.is_valid():
        premise = Premise.objects.filter(
            building=form.cleaned_data["building"], number=form.cleaned_data["number"].strip()
        ).first()
        try:
            if premise is None:
                raise PremiseNotFound(field="number")
            services_buildings.link_request(
                resident=_me(request),
                premise=premise,
                role=form.cleaned_data["role"],
                document_number=form.cleaned_data["document_number"],
            )
        except DomainError as exc:
            messages.error(request, exc.text)
        else:
            messages.success(request, _("Your request was sent to the building administrator."))
    else:
        messages.error(request, _("Choose the building and enter the premise number."))
    return redirect("housing:home")


@login_required
def meter_detail(request: HttpRequest, meter_id: int) -> HttpResponse:
    try:
        meter = meters_selectors.meter_for(_me(request), meter_id)
    except DomainError as exc:
        raise Http404(exc.text) from None
    error = ""
    submitted = [request.POST.get(f"value_{i}", "") for i in range(1, meter.tariffs + 1)]
    if request.method == "POST":
        try:
            reading = services_meters.reading_submit(meter=meter, resident=_me(request), values=submitted)
        except DomainError as exc:
            error = exc.text
        else:
            if reading.flagged:
                messages.warning(
                    request, _("Reading accepted, but it looks unusual; the administrator will check it.")
                )
            else:
                messages.success(request, _("Reading accepted."))
            return redirect("housing:meter", meter_id=meter.pk)
    history = meters_selectors.meter_history(meter)
    start, end = meters_selectors.window_of(meter.resource, meter.building_id)
    return render(
        request,
        "housing/meter.html",
        {
            "meter": meter,
            "history": history,
            "chart": meters_selectors.chart_points(history),
            "chart_width": max(len(history), 1) * 24 + 8,
            "tariff_fields": [
                (f"value_{i}", submitted[i - 1] if request.method == "POST" else "")
                for i in range(1, meter.tariffs + 1)
            ],
            "error": error,
            "window": (start, end),
        },
        status=422 if error else 200,
    )


@login_required
def bills(request: HttpRequest) -> HttpResponse:
    page = Paginator(billing_selectors.my_bills(_me(request)), 12).get_page(request.GET.get("page"))
    return render(request, "housing/bills.html", {"page": page})


@login_required
def bill_detail(request: HttpRequest, bill_id: int) -> HttpResponse:
    try:
        bill = billing_selectors.bill_for(_me(request), bill_id)
    except DomainError as exc:
        raise Http404(exc.text) from None
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rubles = form.cleaned_data["amount_rubles"]
        amount = int(rubles * 100) if rubles else None
        try:
            payment = services_billing.payment_start(bill=bill, payer=_me(request), amount=amount)
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
        payment = billing_selectors.payment_for(_me(request), reference)
    except DomainError as exc:
        raise Http404(exc.text) from None
    waiting = payment.state in (PaymentState.CREATED, PaymentState.PROCESSING)
    template = "housing/_payment_state.html" if request.headers.get("HX-Request") else "housing/payment.html"
    return render(
        request,
        template,
        {"payment": payment, "waiting": waiting, "balance": points.balance(_me(request))},
    )


@login_required
def _fake_bank_page(request: HttpRequest, reference: str) -> HttpResponse:
    """The fake bank's checkout page (stands in for the acquirer's site in the demo). It exists
    only while the fake bank is a configured provider, which the settings allow with debug on."""
    payment = Payment.objects.select_related("bill__premise__building").filter(reference=reference).first()
    if payment is None or payment.payer_id != _me(request).pk:
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

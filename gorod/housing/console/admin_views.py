"""Console pages for the meter and payment actions that need more than a row's fields:
replacing a meter (final and initial readings), recording a rollover (the counter passed its
last digit and restarted) and refunding a payment (with its reason)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.housing.billing import services as services_billing
from gorod.housing.console import services as services_console
from gorod.housing.meters import services as services_meters
from gorod.housing.models import Meter, Payment
from gorod.housing.models.meters import ResetKind


class MeterReplaceForm(forms.Form):
    final_values = forms.CharField(
        label=_("Final reading of the old meter"), help_text=_("One value per tariff, separated by spaces.")
    )
    serial = forms.CharField(label=_("Serial number of the new meter"), max_length=40)
    verification_due = forms.DateField(
        label=_("Verification of the new meter due"), widget=forms.DateInput(attrs={"type": "date"})
    )
    initial_values = forms.CharField(label=_("Initial reading of the new meter"), initial="0")


class MeterRolloverForm(forms.Form):
    values = forms.CharField(
        label=_("Reading after the rollover"),
        initial="0",
        help_text=_(
            "What the counter shows now, one value per tariff: the next reading is compared with it, "
            "not with the last one."
        ),
    )


class RefundForm(forms.Form):
    reason = forms.CharField(label=_("Why the payment is refunded"), max_length=255)


def _render(
    request: HttpRequest, admin_site: Any, title: str, form: forms.Form, subject: Any
) -> HttpResponse:
    context = {**admin_site.each_context(request), "title": title, "form": form, "subject": subject}
    return TemplateResponse(request, "housing/admin_action.html", context, status=422 if form.errors else 200)


class MeterReplaceMixin(admin.ModelAdmin):
    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                "<int:meter_id>/replace/",
                self.admin_site.admin_view(self.replace_view),
                name="housing_meter_replace",
            ),
            path(
                "<int:meter_id>/rollover/",
                self.admin_site.admin_view(self.rollover_view),
                name="housing_meter_rollover",
            ),
        ]
        return extra + super().get_urls()

    @admin.display(description=_("replace or roll over"))
    def replace_link(self, meter: Meter) -> str:
        if meter.archived_on is not None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:housing_meter_replace", args=[meter.pk]),
            _("replace"),
            reverse("admin:housing_meter_rollover", args=[meter.pk]),
            _("rollover"),
        )

    def rollover_view(self, request: HttpRequest, meter_id: int) -> HttpResponse:
        meter = self.get_queryset(request).filter(pk=meter_id, archived_on__isnull=True).first()
        if meter is None:
            raise Http404
        form = MeterRolloverForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services_meters.meter_reset_record(
                    meter=meter,
                    kind=ResetKind.ROLLOVER,
                    values=form.cleaned_data["values"].split(),
                    actor=resident_of(request),
                )
            except DomainError as exc:
                form.add_error("values", exc.text)
            else:
                messages.success(request, _("The rollover was recorded."))
                return HttpResponseRedirect(reverse("admin:housing_meter_changelist"))
        title = str(_("Record a rollover of meter %(serial)s") % {"serial": meter.serial})
        return _render(request, self.admin_site, title, form, meter)

    def replace_view(self, request: HttpRequest, meter_id: int) -> HttpResponse:
        meter = self.get_queryset(request).filter(pk=meter_id).first()
        if meter is None:
            raise Http404
        form = MeterReplaceForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                replacement = services_console.meter_replace(
                    meter=meter,
                    final_values=form.cleaned_data["final_values"].split(),
                    serial=form.cleaned_data["serial"],
                    verification_due=form.cleaned_data["verification_due"],
                    initial_values=form.cleaned_data["initial_values"].split(),
                    actor=resident_of(request),
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.text)
            else:
                messages.success(request, _("The meter was replaced."))
                return HttpResponseRedirect(reverse("admin:housing_meter_change", args=[replacement.pk]))
        return _render(
            request,
            self.admin_site,
            str(_("Replace meter %(serial)s") % {"serial": meter.serial}),
            form,
            meter,
        )


class PaymentRefundMixin(admin.ModelAdmin):
    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                "<int:payment_id>/refund/",
                self.admin_site.admin_view(self.refund_view),
                name="housing_payment_refund",
            )
        ]
        return extra + super().get_urls()

    @admin.display(description=_("refund"))
    def refund_link(self, payment: Payment) -> str:
        if payment.state != "done":
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:housing_payment_refund", args=[payment.pk]), _("refund")
        )

    def refund_view(self, request: HttpRequest, payment_id: int) -> HttpResponse:
        payment = self.get_queryset(request).filter(pk=payment_id).first()
        if payment is None:
            raise Http404
        form = RefundForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services_billing.payment_refund(
                    payment=payment,
                    actor=resident_of(request),
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                form.add_error(None, exc.text)
            else:
                messages.success(request, _("The payment was refunded and its cashback taken back."))
                return HttpResponseRedirect(reverse("admin:housing_payment_changelist"))
        title = str(_("Refund payment %(reference)s") % {"reference": payment.reference})
        return _render(request, self.admin_site, title, form, payment)

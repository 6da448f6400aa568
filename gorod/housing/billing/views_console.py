"""The administrator's bills page for a building: import bills from CSV, create one by hand."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gorod.accounts.edge import resident_of
from gorod.core.errors import DomainError
from gorod.housing import permissions
from gorod.housing.billing import services as services_billing
from gorod.housing.billing import services_import as services_bill_import
from gorod.housing.billing.forms import BillCreateForm, BillImportForm
from gorod.housing.edge import read_table
from gorod.housing.models import Bill, Building


@login_required
def bills_admin(request: HttpRequest, building_id: int) -> HttpResponse:
    building = get_object_or_404(Building, pk=building_id)
    if not permissions.administers(request.user, building):
        raise Http404
    posted = request.method == "POST"
    importing = posted and "import" in request.POST
    import_form = BillImportForm(request.POST if importing else None, request.FILES if importing else None)
    create_form = BillCreateForm(request.POST if posted and not importing else None, building=building)
    report = None
    if importing and import_form.is_valid():
        table = read_table(import_form)
        if table is not None:
            report = services_bill_import.bills_import(
                building=building,
                table=table,
                actor=resident_of(request),
            )
            if report.ok:
                messages.success(
                    request,
                    _("Bills imported: %(created)s new, %(replaced)s replaced, %(unchanged)s unchanged.")
                    % {"created": report.created, "replaced": report.replaced, "unchanged": report.unchanged},
                )
                return redirect("housing:bills_admin", building_id=building.pk)
    elif posted and not importing and create_form.is_valid():
        data = create_form.cleaned_data
        try:
            services_billing.bill_create(
                premise=data["premise"],
                period=data["period"],
                payer_code=data["payer_code"].strip(),
                lines=data["lines"],
                actor=resident_of(request),
            )
        except DomainError as exc:
            create_form.add_error(exc.field if exc.field in create_form.fields else None, exc.text)
        else:
            messages.success(request, _("The bill was created."))
            return redirect("housing:bills_admin", building_id=building.pk)
    failed = bool(import_form.errors or create_form.errors or (report is not None and not report.ok))
    return render(
        request,
        "housing/bills_admin.html",
        {
            "building": building,
            "import_form": import_form,
            "create_form": create_form,
            "report": report,
            "bills": Bill.objects.filter(premise__building=building)
            .select_related("premise")
            .order_by("-period", "premise__number")[:30],
        },
        status=422 if failed else 200,
    )

"""Licence pages: the list, a licence with its shipments, the PDF, and what exporters and
officials do with a licence. Every page finds the licence through the selectors, so a licence
the user may not see is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from appeals.selectors import appealable_items_for_application
from exportgov.core.exceptions import ApplicationError
from exportgov.core.paging import PAGE_SIZE

from ..forms_licences import GroundsForm, LicenceFilter, ShipmentForm
from ..models import Licence
from ..pdf import licence_pdf_render
from ..permissions import is_member
from ..selectors import licence_get_for_user, licence_list_for_user
from ..services import licences as services


@login_required
def licence_list(request: HttpRequest) -> HttpResponse:
    """The exporter's organisations' licences; every licence for officials who may view them."""
    licences = licence_list_for_user(user=request.user)
    licence_filter = LicenceFilter(request.GET or None, queryset=licences)
    if licence_filter.is_bound and licence_filter.is_valid():
        licences = licence_filter.qs
    page = Paginator(licences, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "licensing/licences/licence_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"filter": licence_filter, "page": page})


@login_required
def licence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    licence = licence_get_for_user(user=request.user, pk=pk)
    return _detail_page(request, licence)


def _detail_page(
    request: HttpRequest,
    licence: Licence,
    *,
    shipment_form: ShipmentForm | None = None,
    grounds_form: GroundsForm | None = None,
    grounds_action: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    items = list(licence.items.all())
    shipments = list(licence.shipments.all())
    prefetch_related_objects(shipments, "lines__licence_item", "recorded_by")
    member = is_member(request.user, licence)
    can_manage = request.user.has_perm("licensing.manage_licence")
    context = {
        "licence": licence,
        "application": licence.application,
        "error": error,
        "items": items,
        "shipments": shipments,
        "is_member": member,
        "can_ship": member and licence.status == Licence.Status.ACTIVE,
        "can_amend": member and licence.status in (Licence.Status.ACTIVE, Licence.Status.SUSPENDED),
        "can_manage": can_manage,
        "shipment_form": shipment_form or ShipmentForm(items=items),
        "grounds_forms": _grounds_forms(licence, grounds_form, grounds_action)
        if can_manage
        else [],
        # What the holder may appeal: a suspension or revocation, or each condition.
        "appealable": [
            item
            for item in appealable_items_for_application(
                user=request.user, application=licence.application
            )
            if item.licence is not None and item.licence.pk == licence.pk
        ]
        if member
        else [],
        "item_application": licence.application,
    }
    return render(request, "licensing/licences/licence_detail.html", context, status=status)


# The official actions each status allows: (action, button label, URL name).
OFFICIAL_ACTIONS = {
    Licence.Status.ACTIVE: [
        ("suspend", "Suspend the licence", "licensing:licence_suspend"),
        ("revoke", "Revoke the licence", "licensing:licence_revoke"),
    ],
    Licence.Status.SUSPENDED: [
        ("reinstate", "Reinstate the licence", "licensing:licence_reinstate"),
        ("revoke", "Revoke the licence", "licensing:licence_revoke"),
    ],
}


def _grounds_forms(licence: Licence, bound: GroundsForm | None, bound_action: str) -> list[dict]:
    forms = []
    for action, label, url_name in OFFICIAL_ACTIONS.get(licence.status, []):
        form = bound if bound is not None and action == bound_action else None
        forms.append(
            {
                "action": action,
                "label": label,
                "url_name": url_name,
                "form": form or GroundsForm(prefix=action),
            }
        )
    return forms


@login_required
@require_POST
def licence_shipment_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The exporter records a shipment; one beyond the licence's balance is refused, with the
    typed numbers kept on the page."""
    licence = licence_get_for_user(user=request.user, pk=pk)
    if not is_member(request.user, licence):
        raise PermissionDenied("Only the licence holder records shipments.")
    form = ShipmentForm(request.POST, items=list(licence.items.all()))
    if form.is_valid():
        try:
            services.shipment_record(
                actor=request.user,
                licence=licence,
                shipped_on=form.cleaned_data["shipped_on"],
                reference=form.cleaned_data["reference"],
                lines=form.lines(),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The shipment was recorded.")
            return redirect("licensing:licence_detail", pk=licence.pk)
    licence = licence_get_for_user(user=request.user, pk=pk)  # balances as they are now
    return _detail_page(request, licence, shipment_form=form, status=400)


@login_required
@require_POST
def licence_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Start an amendment: a new draft copying the licensed application, reviewed afresh."""
    licence = licence_get_for_user(user=request.user, pk=pk)
    try:
        draft = services.licence_amendment_start(actor=request.user, licence=licence)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("licensing:licence_detail", pk=licence.pk)
    messages.success(
        request,
        f"Amendment {draft.reference} started. Change what you need and submit it; "
        f"licence {licence.number} stays in force until the amendment is approved.",
    )
    return redirect("licensing:application_step", pk=draft.pk, step="applicant")


def _official_action(request: HttpRequest, pk: int, action: str, service, done: str):
    licence = licence_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("licensing.manage_licence"):
        raise PermissionDenied("Only case officers and senior officials can do this.")
    form = GroundsForm(request.POST, prefix=action)
    if form.is_valid():
        try:
            service(actor=request.user, licence=licence, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            # e.g. the licence changed status meanwhile; this action may no longer be offered
            licence = licence_get_for_user(user=request.user, pk=pk)
            return _detail_page(request, licence, error=error.message, status=400)
        messages.success(request, f"Licence {licence.number} {done}.")
        return redirect("licensing:licence_detail", pk=licence.pk)
    return _detail_page(request, licence, grounds_form=form, grounds_action=action, status=400)


@login_required
@require_POST
def licence_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    return _official_action(request, pk, "suspend", services.licence_suspend, "is suspended")


@login_required
@require_POST
def licence_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    return _official_action(request, pk, "reinstate", services.licence_reinstate, "is reinstated")


@login_required
@require_POST
def licence_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    return _official_action(request, pk, "revoke", services.licence_revoke, "is revoked")


@login_required
def licence_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The licence document, as a PDF attachment named after the licence number."""
    licence = licence_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(licence_pdf_render(licence=licence), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{licence.number}.pdf"'
    return response

"""The public "Do I need a licence?" page and its code search, and the policy pages that list
the control datasets and the rows of a dataset kept for review.

The public pages need no sign-in: they read only published control data.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..controls import control_code_search, licence_determine
from ..controls.determination import ControlDataMissingError
from ..controls.forms import CODE_MAX_LENGTH, LicenceCheckForm
from ..controls.lookup import Kind, control_snapshot
from ..selectors_controls import (
    CONTROL_VIEW_PERMISSION,
    control_dataset_get_for_user,
    control_dataset_list_for_user,
    licence_requirement_review_list,
)

SUGGESTIONS = 10
REVIEW_ROWS_PER_PAGE = 50
TEMPLATE = "screening/licence_check.html"


def _data_ready() -> bool:
    datasets = control_snapshot().datasets
    return Kind.CCL in datasets and Kind.COUNTRY_CHART in datasets


@require_GET
def licence_check(request: HttpRequest) -> HttpResponse:
    """Pick a control code and a destination (GET form) and read the determination."""
    bound = "code" in request.GET or "destination" in request.GET
    form = LicenceCheckForm(request.GET if bound else None)
    context: dict = {
        "form": form,
        "result": None,
        "matches": [],
        "matches_for": "",
        "searched": False,
        "data_ready": _data_ready(),
    }
    if bound and context["data_ready"]:
        if form.is_valid():
            try:
                context["result"] = licence_determine(
                    control_code=form.cleaned_data["code"],
                    destination=form.cleaned_data["destination"],
                )
            except ControlDataMissingError:
                context["data_ready"] = False
        elif "code" in form.errors:
            typed = request.GET.get("code", "")[:CODE_MAX_LENGTH]
            context["matches"] = control_code_search(typed, limit=SUGGESTIONS)
            context["matches_for"] = typed
    context["destination"] = request.GET.get("destination", "")[:2]
    return render(request, TEMPLATE, context)


@require_GET
def code_search(request: HttpRequest) -> HttpResponse:
    """Control codes matching a code or heading words: the suggestion list (htmx), or the
    whole page with the matches when JavaScript is off."""
    query = (request.GET.get("q") or request.GET.get("code") or "")[:CODE_MAX_LENGTH]
    context = {
        "matches": control_code_search(query, limit=SUGGESTIONS) if _data_ready() else [],
        "matches_for": query,
        "destination": request.GET.get("destination", "")[:2],
        "searched": bool(query.strip()),
        "data_ready": _data_ready(),
    }
    if request.htmx:
        return render(request, f"{TEMPLATE}#code-suggestions", context)
    context["form"] = LicenceCheckForm(
        initial={"code": query, "destination": context["destination"]}
    )
    return render(request, TEMPLATE, context)


@login_required
@permission_required(CONTROL_VIEW_PERMISSION, raise_exception=True)
def control_dataset_list(request: HttpRequest) -> HttpResponse:
    """Every control dataset (active first) with its issue date, sha256 and row counts."""
    datasets = control_dataset_list_for_user(user=request.user)
    return render(request, "screening/control_dataset_list.html", {"datasets": datasets})


@login_required
@permission_required(CONTROL_VIEW_PERMISSION, raise_exception=True)
def control_dataset_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The rows of one dataset kept with their raw text because no chart column was named."""
    dataset = control_dataset_get_for_user(user=request.user, pk=pk)
    rows = licence_requirement_review_list(dataset=dataset)
    page = Paginator(rows, REVIEW_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "screening/control_dataset_review.html", {"dataset": dataset, "page": page}
    )

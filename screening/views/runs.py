"""The re-screening progress panel of a list version's page, polled with htmx until done."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..selectors import VIEW_PERMISSION
from ..selectors_runs import rescreen_get_for_version, rescreen_progress


@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
def version_rescreen(request: HttpRequest, pk: int) -> HttpResponse:
    """Done / total of the re-screen that the list version started."""
    version, batch = rescreen_get_for_version(user=request.user, pk=pk)
    progress = rescreen_progress(batch=batch) if batch is not None else None
    return render(
        request,
        "screening/version_detail.html#rescreen",
        {"version": version, "batch": batch, "progress": progress, "loaded": True},
    )

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .dashboard import dashboard_panels_for
from .health import health_check
from .operations import operations_report_for_user


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return render(request, "core/home.html")


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    panels = dashboard_panels_for(user=request.user)
    return render(request, "core/dashboard.html", {"panels": panels})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_check()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


@login_required
@never_cache
@require_GET
def operations(request: HttpRequest) -> HttpResponse:
    """The officials' operations dashboard: queues, deadlines, screening and workers."""
    report = operations_report_for_user(user=request.user)
    return render(request, "core/operations.html", {"report": report})

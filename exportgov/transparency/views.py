"""The public transparency dashboard and its downloads (no sign-in needed)."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import figures, presentation
from .periods import Period, period_choices, period_default, period_get

UNKNOWN_PERIOD = "Choose a period from the list: the last 12 months or one of the last 24 months."


def _period(request: HttpRequest) -> tuple[Period | None, str]:
    value = request.GET.get("period", "").strip()[:20]
    return period_get(value=value, today=timezone.localdate()), value


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every published figure for the chosen period, each as a chart and a table."""
    today = timezone.localdate()
    period, typed = _period(request)
    error = ""
    if period is None:
        error, period = UNKNOWN_PERIOD, period_default(today=today)
    data = figures.all_figures_cached(period.start, period.end)
    context = {
        "period": period,
        "typed_period": typed,
        "periods": period_choices(today=today),
        "error": error,
        "min_count": data["min_count"],
        "suppressed_text": figures.suppressed_text(),
        "sections": presentation.dashboard_sections(
            data, suppressed_text=figures.suppressed_text()
        ),
    }
    return render(request, "transparency/dashboard.html", context, status=400 if error else 200)


def _download_name(period: Period, extension: str) -> str:
    return f"exportgov-figures-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.{extension}"


@require_GET
def figures_csv(request: HttpRequest) -> HttpResponse:
    """The same figures as CSV, one value per row; suppressed values are empty."""
    period, _typed = _period(request)
    if period is None:
        return HttpResponseBadRequest(UNKNOWN_PERIOD, content_type="text/plain; charset=utf-8")
    data = figures.all_figures_cached(period.start, period.end)
    response = HttpResponse(presentation.figures_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_download_name(period, "csv")}"'
    return response


@require_GET
def figures_json(request: HttpRequest) -> HttpResponse:
    """The same figures as JSON; suppressed values are null."""
    period, _typed = _period(request)
    if period is None:
        return JsonResponse({"error": UNKNOWN_PERIOD}, status=400)
    data = figures.all_figures_cached(period.start, period.end)
    data["period"]["label"] = period.label
    data["suppressed_means"] = figures.suppressed_text()
    response = JsonResponse(data, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'inline; filename="{_download_name(period, "json")}"'
    return response

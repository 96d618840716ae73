from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .filters import AuditEventFilter
from .selectors import audit_event_list


@login_required
@permission_required("audit.view_auditevent", raise_exception=True)
def event_list(request: HttpRequest) -> HttpResponse:
    """The audit log for auditors; htmx requests get only the results table."""
    event_filter = AuditEventFilter(request.GET or None, queryset=audit_event_list())
    events = (
        event_filter.qs if event_filter.is_bound and event_filter.is_valid() else audit_event_list()
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    template = "audit/event_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"filter": event_filter, "page": page})

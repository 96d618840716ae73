from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .selectors import notification_list_for_user
from .services import notification_mark_read


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notification_list_for_user(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(notification_list_for_user(user=request.user), pk=pk)
    notification_mark_read(actor=request.user, notification=notification)
    return redirect(notification.url or "notifications:list")

"""Public notices of every change to the rules and data that screening applies: a page and an
Atom feed (no sign-in needed), and, for signed-in users, the opt-in to notice emails."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.views.decorators.http import require_GET, require_POST

from ..models import PublicNotice
from ..selectors_notices import (
    notice_feed_list,
    notice_get,
    notice_list,
    notice_subscription_get,
)
from ..services.notices import notice_subscription_set

NOTICES_PER_PAGE = 20


@require_GET
def notice_list_page(request: HttpRequest) -> HttpResponse:
    """Every notice, newest first (paged), with the signed-in user's opt-in form."""
    page = Paginator(notice_list(), NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    subscription = notice_subscription_get(user=request.user)
    context = {"page": page, "subscribed": bool(subscription and subscription.active)}
    return render(request, "screening/notices.html", context)


@require_GET
def notice_detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One notice on a page of its own: the address feeds and emails link to, which stays put
    while newer notices push it down the paged list."""
    return render(request, "screening/notice_detail.html", {"notice": notice_get(pk=pk)})


@login_required
@require_POST
def notice_subscribe(request: HttpRequest) -> HttpResponse:
    """Turn notice emails on (`active=1`) or off (`active=0`); without `active`, toggle."""
    choice = request.POST.get("active")
    if choice in ("1", "0"):
        active = choice == "1"
    else:
        subscription = notice_subscription_get(user=request.user)
        active = not (subscription and subscription.active)
    notice_subscription_set(actor=request.user, active=active)
    if active:
        messages.success(request, f"We will email each new notice to {request.user.email}.")
    else:
        messages.success(request, "We will no longer email you notices.")
    return redirect("controls:notice_list")


class NoticeFeed(Feed):
    """The newest notices as an Atom feed."""

    feed_type = Atom1Feed
    title = "ExportGov public notices"
    subtitle = "Every change to the rules and data that screen export licence applications."

    def link(self) -> str:
        return reverse("controls:notice_list")

    def items(self) -> list[PublicNotice]:
        return notice_feed_list()

    def item_title(self, item: PublicNotice) -> str:
        return f"{item.get_kind_display()}: {item.title}"

    def item_description(self, item: PublicNotice) -> str:
        # Atom's <summary type="html">: the plain texts escaped into paragraphs.
        return linebreaks(escape(item.summary)) + linebreaks(escape(f"Why: {item.justification}"))

    def item_link(self, item: PublicNotice) -> str:
        if item.consultation_id:
            return reverse("controls:consultation_detail", args=[item.consultation_id])
        if item.rule_id:
            return reverse("controls:rule_book_detail", args=[item.rule.code])
        return reverse("controls:notice_detail", args=[item.pk])

    def item_guid(self, item: PublicNotice) -> str:
        # Stable whichever host name served the feed.
        return f"{settings.EXPORTGOV_SITE_URL}{reverse('controls:notice_list')}#notice-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: PublicNotice):
        return item.published_at

    def item_updateddate(self, item: PublicNotice):
        return item.published_at


notice_feed = require_GET(NoticeFeed())

"""Reads of the public notices (published to everyone) and of a user's notice opt-in."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import NoticeSubscription, PublicNotice

FEED_LENGTH = 50


def notice_list() -> QuerySet[PublicNotice]:
    """Every public notice, newest first, with the rule each names."""
    return PublicNotice.objects.select_related("rule").order_by("-published_at", "-id")


def notice_feed_list(*, limit: int = FEED_LENGTH) -> list[PublicNotice]:
    """The newest notices, for the Atom feed."""
    return list(notice_list()[:limit])


def notice_get(*, pk: int) -> PublicNotice:
    """One public notice; 404 when there is none."""
    return get_object_or_404(notice_list(), pk=pk)


def notice_subscription_get(*, user) -> NoticeSubscription | None:
    """The user's opt-in to notice emails; None for a visitor or a user who never chose."""
    if not user.is_authenticated:
        return None
    return NoticeSubscription.objects.filter(user=user).first()

from django.db.models import QuerySet

from .models import Notification


def notification_list_for_user(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from exportgov.notifications.models import Notification
from exportgov.notifications.services import notification_mark_read, notification_send

pytestmark = pytest.mark.django_db


def _notify(world, django_capture_on_commit_callbacks) -> Notification:
    with django_capture_on_commit_callbacks(execute=True):
        return notification_send(
            recipient=world.exporter,
            template="member_joined",
            context={"member": world.colleague, "organisation": world.organisation},
            url=reverse("accounts:organisation_detail", kwargs={"pk": world.organisation.pk}),
        )


def test_notification_send_stores_it_and_emails_text_and_html(
    world, django_capture_on_commit_callbacks
):
    notification = _notify(world, django_capture_on_commit_callbacks)

    assert notification.subject == f"{world.colleague} joined {world.organisation.name}"
    (message,) = mail.outbox
    assert message.subject == f"[ExportGov] {notification.subject}"
    assert message.to == [world.exporter.email]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert world.colleague.email in html
    assert notification.url in message.body


def test_notification_mark_read_only_by_its_recipient(world, django_capture_on_commit_callbacks):
    notification = _notify(world, django_capture_on_commit_callbacks)

    with pytest.raises(PermissionDenied):
        notification_mark_read(actor=world.colleague, notification=notification)
    notification_mark_read(actor=world.exporter, notification=notification)

    notification.refresh_from_db()
    assert notification.is_read


def test_unread_count_shows_in_the_navigation(client, world, django_capture_on_commit_callbacks):
    _notify(world, django_capture_on_commit_callbacks)
    client.force_login(world.exporter)

    page = client.get(reverse("notifications:list")).content.decode()

    assert "Notifications (1)" in page
    assert "joined Northwind Instruments Ltd" in page

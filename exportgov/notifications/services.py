"""Telling people things: templated email (plain text + HTML) and in-app notifications.

Each message has one template folder, `templates/notifications/<name>/`, holding
`subject.txt`, `body.txt` and `body.html`. Email leaves only once the caller's transaction
commits, so a rolled-back change never announces itself.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification


def email_send(*, to: str, template: str, context: dict) -> None:
    """Send the templated email to one address once the current transaction commits."""
    transaction.on_commit(email_message(to=to, template=template, context=context).send)


def email_message(*, to: str, template: str, context: dict) -> EmailMultiAlternatives:
    """The templated email to one address, rendered but not sent (for a task that sends many
    over one connection)."""
    subject, text, html = _render(template, context)
    message = EmailMultiAlternatives(
        subject=settings.EMAIL_SUBJECT_PREFIX + subject, body=text, to=[to]
    )
    message.attach_alternative(html, "text/html")
    return message


def notification_send(*, recipient, template: str, context: dict, url: str = "") -> Notification:
    """Notify a user in the app and by email."""
    subject, text, _html = _render(template, {**context, "recipient": recipient, "url": url})
    notification = Notification.objects.create(
        recipient=recipient, subject=subject, body=text, url=url
    )
    email_send(
        to=recipient.email,
        template=template,
        context={**context, "recipient": recipient, "url": url},
    )
    return notification


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("Only the recipient can mark a notification as read.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def _render(template: str, context: dict) -> tuple[str, str, str]:
    context = {"site_url": settings.EXPORTGOV_SITE_URL, **context}
    subject = render_to_string(f"notifications/{template}/subject.txt", context).strip()
    text = render_to_string(f"notifications/{template}/body.txt", context)
    html = render_to_string(f"notifications/{template}/body.html", context)
    return " ".join(subject.split()), text, html

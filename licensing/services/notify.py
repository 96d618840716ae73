"""Who hears about what happens to a case."""

from django.urls import reverse

from exportgov.notifications.services import notification_send

from ..models import Application, Licence


def notify_applicant(
    *, application: Application, template: str, context: dict | None = None
) -> None:
    """Tell the person who started the application and their organisation's admins."""
    people = {application.created_by}
    people |= {
        m.user
        for m in application.organisation.memberships.filter(role="admin").select_related("user")
    }
    url = reverse("licensing:application_status", kwargs={"pk": application.pk})
    for person in people:
        if person.is_active:
            notification_send(
                recipient=person,
                template=template,
                context={"application": application, **(context or {})},
                url=url,
            )


def notify_officials(
    *, application: Application, people, template: str, context: dict | None = None
) -> None:
    url = reverse("licensing:case_detail", kwargs={"pk": application.pk})
    for person in people:
        if person.is_active:
            notification_send(
                recipient=person,
                template=template,
                context={"application": application, **(context or {})},
                url=url,
            )


def notify_licence_holder(*, licence: Licence, template: str, context: dict | None = None) -> None:
    notify_applicant(
        application=licence.application,
        template=template,
        context={"licence": licence, **(context or {})},
    )

"""Who hears about what happens to an appeal: the appellant (with their organisation's
admins) and the reviewer, in the app and by email (sent once the transaction commits)."""

from collections.abc import Iterable

from django.urls import NoReverseMatch, reverse

from exportgov.notifications.services import notification_send

from .models import Appeal


def appeal_url(appeal: Appeal, *, for_officials: bool = False) -> str:
    """The appellant's page of the appeal, or the reviewers' page."""
    name = "appeals:appeal_review" if for_officials else "appeals:appeal_detail"
    try:
        return reverse(name, kwargs={"pk": appeal.pk})
    except NoReverseMatch:  # the appeals pages are not routed (e.g. in an API-only deployment)
        return ""


def notify_appellant(*, appeal: Appeal, template: str, context: dict | None = None) -> None:
    people = {appeal.appellant}
    people |= {
        membership.user
        for membership in appeal.organisation.memberships.filter(role="admin").select_related(
            "user"
        )
    }
    _send(appeal, people, template, context, url=appeal_url(appeal))


def notify_officials(
    *, appeal: Appeal, people: Iterable, template: str, context: dict | None = None
) -> None:
    _send(
        appeal,
        people,
        template,
        {"for_officials": True, **(context or {})},
        url=appeal_url(appeal, for_officials=True),
    )


def _send(appeal: Appeal, people: Iterable, template: str, context: dict | None, url: str) -> None:
    for person in people:
        if person is not None and person.is_active:
            notification_send(
                recipient=person,
                template=template,
                context={"appeal": appeal, **(context or {})},
                url=url,
            )

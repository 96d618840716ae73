"""What each role sees first: real counts, and an empty state that says what to do next."""

from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from exportgov.accounts.roles import Role
from exportgov.accounts.selectors import (
    organisation_invitation_list,
    organisation_list_for_user,
    team_list_for_user,
    user_counts_by_role,
)
from exportgov.audit.selectors import audit_event_list
from exportgov.notifications.selectors import notification_unread_count


@dataclass(frozen=True)
class Card:
    """A number with its unit, a link to act on it, and what to say when it is zero."""

    title: str
    count: int
    unit: str
    unit_plural: str = ""
    link: str = ""
    link_text: str = ""
    empty_text: str = ""
    note: str = ""

    @property
    def label(self) -> str:
        return self.unit if self.count == 1 else (self.unit_plural or f"{self.unit}s")


@dataclass(frozen=True)
class Panel:
    role: Role
    cards: list[Card]


def dashboard_panels_for(*, user) -> list[Panel]:
    """One panel per role the user holds, in the order of `Role`."""
    builders = {
        Role.EXPORTER: _exporter_cards,
        Role.CASE_OFFICER: _official_cards,
        Role.SENIOR_OFFICIAL: _official_cards,
        Role.ADVISOR: _official_cards,
        Role.APPEALS_REVIEWER: _official_cards,
        Role.POLICY_ADMIN: _policy_admin_cards,
        Role.AUDITOR: _auditor_cards,
    }
    return [Panel(role, builders[role](user)) for role in Role if user.has_role(role)]


def _notifications_card(user) -> Card:
    return Card(
        title="Notifications",
        count=notification_unread_count(user=user),
        unit="unread",
        unit_plural="unread",
        link=reverse("notifications:list"),
        link_text="Read notifications",
        empty_text="Nothing new. You will be told here when something needs you.",
    )


def _exporter_cards(user) -> list[Card]:
    cards = []
    for organisation in organisation_list_for_user(user=user).filter(memberships__user=user):
        pending = organisation_invitation_list(organisation=organisation).count()
        cards.append(
            Card(
                title=organisation.name,
                count=organisation.member_count,
                unit="member",
                link=reverse("accounts:organisation_detail", kwargs={"pk": organisation.pk}),
                link_text="Manage your organisation",
                note=f"Invitations waiting to be accepted: {pending}." if pending else "",
            )
        )
    if not cards:
        cards.append(
            Card(
                title="Organisation",
                count=0,
                unit="organisation",
                empty_text="You are in no organisation yet: ask its admin for an invitation.",
            )
        )
    return [*cards, _notifications_card(user)]


def _official_cards(user) -> list[Card]:
    teams = team_list_for_user(user=user)
    return [
        Card(
            title="Your teams",
            count=teams.count(),
            unit="team",
            link=reverse("accounts:profile"),
            link_text=", ".join(team.name for team in teams) or "See your account",
            empty_text="You are in no team yet: ask a policy admin to add you to one.",
        ),
        _notifications_card(user),
    ]


def _policy_admin_cards(user) -> list[Card]:
    counts = user_counts_by_role()
    return [
        Card(
            title="People with a role",
            count=sum(counts.values()),
            unit="role assignment",
            link=reverse("accounts:organisation_list"),
            link_text="See organisations",
            empty_text="No one holds a role yet.",
        ),
        _notifications_card(user),
    ]


def _auditor_cards(user) -> list[Card]:
    since = timezone.now() - timedelta(hours=24)
    return [
        Card(
            title="Audit events, last 24 hours",
            count=audit_event_list().filter(created_at__gte=since).count(),
            unit="event",
            link=reverse("audit:event_list"),
            link_text="Open the audit log",
            empty_text="No events in the last day.",
        ),
        Card(
            title="Audit events in all",
            count=audit_event_list().count(),
            unit="event",
            link=reverse("audit:event_list"),
            link_text="Open the audit log",
            empty_text="The log is empty.",
        ),
        _notifications_card(user),
    ]

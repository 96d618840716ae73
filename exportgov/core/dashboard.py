"""What each role sees first: real counts, and an empty state that says what to do next."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from appeals.selectors import appeal_queue
from exportgov.accounts.models import Invitation
from exportgov.accounts.roles import Role
from exportgov.accounts.selectors import (
    organisation_list_for_user,
    team_list_for_user,
    user_counts_by_role,
)
from exportgov.audit.selectors import audit_event_list
from exportgov.notifications.selectors import notification_unread_count
from licensing.deadlines import DeadlineState, deadline_state_q
from licensing.models import Application, Licence
from licensing.selectors import (
    application_list_for_user,
    consultation_list_for_advisor,
    licence_list_for_user,
)
from screening.selectors_consultations import consultation_counts_for_user
from screening.selectors_reviews import sunset_review_counts_for_user

Status = Application.Status
OPEN_CASE = [
    Status.SUBMITTED,
    Status.SCREENING,
    Status.TRIAGE,
    Status.UNDER_REVIEW,
    Status.INFO_REQUESTED,
    Status.IN_CONSULTATION,
    Status.RECOMMENDED,
]
# What `organisation_invitation_list` lists, counted for every organisation in one query.
PENDING_INVITATION = Q(invitations__status=Invitation.Status.PENDING)


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
        Role.CASE_OFFICER: _case_officer_cards,
        Role.SENIOR_OFFICIAL: _senior_official_cards,
        Role.ADVISOR: _advisor_cards,
        Role.APPEALS_REVIEWER: _appeals_reviewer_cards,
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
    applications = application_list_for_user(user=user).filter(organisation__memberships__user=user)
    cards = [
        Card(
            title="Your applications",
            count=applications.filter(status__in=OPEN_CASE).count(),
            unit="application in progress",
            unit_plural="applications in progress",
            link=reverse("licensing:application_list"),
            link_text="See your applications",
            empty_text="Nothing in progress. Start an application when you need a licence.",
            note=_count_note(applications.filter(status=Status.DRAFT).count(), "draft", "drafts"),
        ),
        Card(
            title="Waiting for your answer",
            count=applications.filter(status=Status.INFO_REQUESTED).count(),
            unit="request for information",
            unit_plural="requests for information",
            link=reverse("licensing:application_list"),
            link_text="Answer them",
            empty_text="The licensing unit is not waiting for anything from you.",
        ),
        Card(
            title="Licences",
            count=licence_list_for_user(user=user).filter(status=Licence.Status.ACTIVE).count(),
            unit="active licence",
            link=reverse("licensing:licence_list"),
            link_text="See your licences",
            empty_text="No active licence yet.",
        ),
    ]
    organisations = (
        organisation_list_for_user(user=user)
        .filter(memberships__user=user)
        .annotate(pending=Count("invitations", filter=PENDING_INVITATION, distinct=True))
    )
    for organisation in organisations:
        cards.append(
            Card(
                title=organisation.name,
                count=organisation.member_count,
                unit="member",
                link=reverse("accounts:organisation_detail", kwargs={"pk": organisation.pk}),
                link_text="Manage your organisation",
                note=(
                    f"Invitations waiting to be accepted: {organisation.pending}."
                    if organisation.pending
                    else ""
                ),
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


def _count_note(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many} not yet submitted." if count else ""


def _case_officer_cards(user) -> list[Card]:
    cases = application_list_for_user(user=user)
    today = timezone.localdate()
    return [
        Card(
            title="Triage queue",
            count=cases.filter(status=Status.TRIAGE).count(),
            unit="case waiting",
            unit_plural="cases waiting",
            link=reverse("licensing:case_triage_queue"),
            link_text="Open the triage queue",
            empty_text="No case is waiting for triage.",
        ),
        Card(
            title="Your cases",
            count=cases.filter(assigned_officer=user, status__in=OPEN_CASE).count(),
            unit="open case",
            link=reverse("licensing:case_queue") + "?assigned=mine",
            link_text="Open your cases",
            empty_text="You have no open case: claim one from the triage queue.",
            note=_overdue_note(cases.filter(assigned_officer=user, status__in=OPEN_CASE), today),
        ),
        *_official_cards(user),
    ]


def _overdue_note(cases, today) -> str:
    """For cases or appeals: how many of them have a running clock past its deadline."""
    overdue = cases.filter(deadline_state_q(state=DeadlineState.OVERDUE, today=today)).count()
    return f"{overdue} past its deadline." if overdue else ""


def _senior_official_cards(user) -> list[Card]:
    cases = application_list_for_user(user=user)
    return [
        Card(
            title="Awaiting decision",
            count=cases.filter(status=Status.RECOMMENDED).count(),
            unit="recommended case",
            link=reverse("licensing:case_queue") + "?status=recommended",
            link_text="Decide them",
            empty_text="No recommendation is waiting for a decision.",
        ),
        *_case_officer_cards(user),
    ]


def _advisor_cards(user) -> list[Card]:
    waiting = consultation_list_for_advisor(user=user).filter(answered=False)
    return [
        Card(
            title="Advice requested",
            count=waiting.values("application").distinct().count(),
            unit="case waiting for advice",
            unit_plural="cases waiting for advice",
            link=reverse("licensing:advisor_queue"),
            link_text="Open the referred cases",
            empty_text="No case is waiting for your advisory body.",
        ),
        *_official_cards(user),
    ]


def _official_cards(user) -> list[Card]:
    teams = list(team_list_for_user(user=user))  # counted and named from one read
    return [
        Card(
            title="Your teams",
            count=len(teams),
            unit="team",
            link=reverse("accounts:profile"),
            link_text=", ".join(team.name for team in teams) or "See your account",
            empty_text="You are in no team yet: ask a policy admin to add you to one.",
        ),
        _notifications_card(user),
    ]


def _appeals_reviewer_cards(user) -> list[Card]:
    queue = reverse("appeals:appeal_queue")
    mine = appeal_queue(user=user, filters={"reviewer": "me"})
    return [
        Card(
            title="Appeals waiting",
            count=appeal_queue(user=user, filters={"reviewer": "unassigned"}).count(),
            unit="unassigned appeal",
            link=queue + "?reviewer=unassigned",
            link_text="Assign them",
            empty_text="Every lodged appeal has a reviewer.",
        ),
        Card(
            title="Your appeals",
            count=mine.count(),
            unit="open appeal",
            link=queue + "?reviewer=mine",
            link_text="Open your appeals",
            empty_text="No appeal is assigned to you.",
            note=_overdue_note(mine, timezone.localdate()),
        ),
        *_official_cards(user),
    ]


def _policy_admin_cards(user) -> list[Card]:
    counts = user_counts_by_role()
    reviews = sunset_review_counts_for_user(user=user)
    consultations = consultation_counts_for_user(user=user)
    return [
        Card(
            title="Sunset reviews open",
            count=reviews["open"],
            unit="review",
            link=reverse("screening:sunset_review_queue"),
            link_text="Decide the reviews",
            empty_text="No rule or control data is near its sunset.",
            note=f"{reviews['overdue']} past the sunset date" if reviews["overdue"] else "",
        ),
        Card(
            title="Consultation comments to moderate",
            count=consultations["comments_pending"],
            unit="comment",
            link=reverse("screening:consultation_list"),
            link_text="See the consultations",
            empty_text="No comment is waiting. Open a consultation from a rule's page.",
            note=_decisions_due(consultations["awaiting_decision"]),
        ),
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


def _decisions_due(due: int) -> str:
    if not due:
        return ""
    return f"{due} closed consultation{'' if due == 1 else 's'} awaiting your decision"


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

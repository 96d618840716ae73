"""Reads of appeals a user may see, the reviewers' queue, and what an exporter may appeal.

Exporters see the appeals of their own organisations (membership, as licensing does it);
appeals reviewers and auditors (appeals.view_appeal) see every appeal that has been lodged,
never someone's draft.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from exportgov.accounts.models import Membership, User
from exportgov.audit.models import AuditEvent
from exportgov.core.exceptions import ApplicationError
from licensing import deadlines
from licensing.forms_cases import reviewers
from licensing.models import Advice, Application, Decision, Licence, Recommendation
from licensing.permissions import is_member
from screening.models import Flag, Rule

from .filters import OPEN_STATUSES, sorted_by_deadline
from .models import Appeal

Status = Appeal.Status
Subject = Appeal.Subject
Verb = AuditEvent.Verb

VIEW_APPEAL = "appeals.view_appeal"
REVIEW_APPEAL = "appeals.review_appeal"

# An appeal in one of these blocks another appeal of the same decision (a withdrawn one does not).
BLOCKING_STATUSES = [s for s in Status.values if s != Status.WITHDRAWN]

ROW_RELATED = ("application", "organisation", "appellant", "reviewer", "licence", "flag__rule")


# --- Appeals a user may see ------------------------------------------------------------------


def appeal_list_for_user(*, user: User) -> QuerySet[Appeal]:
    """Exporters: their organisations' appeals (drafts too). Reviewers and auditors: every
    appeal that has been lodged."""
    if not user.is_authenticated:
        return Appeal.objects.none()
    appeals = Appeal.objects.select_related(*ROW_RELATED)
    if user.has_perm(VIEW_APPEAL):
        return appeals.exclude(status=Status.DRAFT)
    return appeals.filter(organisation__memberships__user=user)


def appeal_get_for_user(*, user: User, pk: int) -> Appeal:
    """One appeal the user may see (with its case, organisation, people, licence and flag),
    in one query; 404 for anyone else. Its pages and the API read its documents and questions
    with what they need of them."""
    return get_object_or_404(appeal_list_for_user(user=user), pk=pk)


def appeal_queue(*, user: User, filters: dict | None = None) -> QuerySet[Appeal]:
    """The reviewers' queue, soonest deadline first. Filters (all optional): `status` (one or a
    list; default the open statuses, "all" for every lodged appeal), `subject`, `reviewer`
    ("me", "unassigned" or a user id), `deadline` ("overdue", "due_soon", "on_track") and `q`
    (appeal or case reference, or organisation name)."""
    if not user.is_authenticated or not user.has_perm(VIEW_APPEAL):
        raise PermissionDenied("Only appeals reviewers and auditors can see the appeals queue.")
    filters = filters or {}
    appeals = appeal_list_for_user(user=user)
    status = filters.get("status") or OPEN_STATUSES
    if status != "all":
        appeals = appeals.filter(status__in=[status] if isinstance(status, str) else status)
    if filters.get("subject"):
        appeals = appeals.filter(subject=filters["subject"])
    reviewer = filters.get("reviewer")
    if reviewer == "me":
        appeals = appeals.filter(reviewer=user)
    elif reviewer == "unassigned":
        appeals = appeals.filter(reviewer__isnull=True)
    elif reviewer:
        appeals = appeals.filter(reviewer_id=reviewer)
    deadline = filters.get("deadline")
    if deadline:
        appeals = _with_deadline(appeals, deadline)
    query = (filters.get("q") or "").strip()
    if query:
        appeals = appeals.filter(
            Q(reference__icontains=query)
            | Q(application__reference__icontains=query)
            | Q(organisation__name__icontains=query)
        )
    return sorted_by_deadline(appeals)


def _with_deadline(appeals: QuerySet[Appeal], state: str) -> QuerySet[Appeal]:
    """The appeals whose running clock is in `state` (see `deadlines.deadline_state_q`); an
    unknown state filters nothing."""
    if state not in deadlines.DeadlineState.values:
        return appeals
    return appeals.filter(deadlines.deadline_state_q(state=state, today=timezone.localdate()))


def appeal_timeline(*, appeal: Appeal, exporter_view: bool = False) -> list[AuditEvent]:
    """The appeal's history from the audit log, with what its decision did to the case,
    licence or flag. The appellant does not see who reviews it."""
    licence_ids = [
        str(pk)
        for pk in Licence.objects.filter(application_id=appeal.application_id).values_list(
            "pk", flat=True
        )
    ]
    effects = (
        Q(target_type="licensing.application", target_id=str(appeal.application_id))
        | Q(target_type="licensing.licence", target_id__in=licence_ids)
        | Q(target_type="screening.flag", target_id=str(appeal.flag_id or ""))
    ) & Q(payload__appeal=appeal.reference)
    events = AuditEvent.objects.filter(
        Q(target_type="appeals.appeal", target_id=str(appeal.pk)) | effects
    ).order_by("id")
    if exporter_view:
        events = events.exclude(verb__in=[Verb.APPEAL_ASSIGNED, Verb.APPEAL_REASSIGNED]).exclude(
            target_type="screening.flag"
        )
    return list(events)


def appeals_for_application(
    *, application: Application, include_drafts: bool = False
) -> QuerySet[Appeal]:
    """The appeals of a case, newest first (for its case page and status page)."""
    appeals = Appeal.objects.filter(application=application).select_related(
        "licence", "flag__rule", "reviewer"
    )
    return appeals if include_drafts else appeals.exclude(status=Status.DRAFT)


# --- What may be appealed --------------------------------------------------------------------


@dataclass(frozen=True)
class AppealableItem:
    """Something the exporter may appeal on a case, with its filing deadline."""

    subject: str
    label: str
    notice_at: datetime
    filing_deadline: date
    licence: Licence | None = None
    condition_text: str = ""
    flag: Flag | None = None
    appeal: Appeal | None = None  # an appeal of it already started (draft or further)

    @property
    def is_late(self) -> bool:
        return timezone.localdate() > self.filing_deadline

    @property
    def subject_label(self) -> str:
        return Subject(self.subject).label


def filing_deadline_for(notice_at: datetime) -> date:
    """The last day (local time) to appeal in time: APPEALS_WINDOW_DAYS calendar days after
    the local date of the notice."""
    return timezone.localdate(notice_at) + timedelta(days=settings.APPEALS_WINDOW_DAYS)


def _licence_notice(licence: Licence, verb: AuditEvent.Verb) -> datetime:
    event_at = (
        AuditEvent.objects.filter(
            target_type="licensing.licence", target_id=str(licence.pk), verb=verb
        )
        .order_by("-id")
        .values_list("created_at", flat=True)
        .first()
    )
    return event_at or licence.issued_at


def appeal_subject_notice(
    *,
    subject: str,
    application: Application,
    licence: Licence | None = None,
    condition_text: str = "",
    flag: Flag | None = None,
) -> datetime:
    """When the decision appealed was notified; ApplicationError when it cannot be appealed."""
    if subject == Subject.REFUSAL:
        decision = application.decision
        if application.status != Application.Status.REFUSED or decision is None:
            raise ApplicationError("Only a refused application can be appealed.", code="invalid")
        return decision.created_at
    if subject in (Subject.REVOCATION, Subject.SUSPENSION, Subject.CONDITION):
        if licence is None or licence.application_id != application.pk:
            raise ApplicationError("Choose a licence issued on this application.", code="invalid")
        if subject == Subject.REVOCATION:
            if licence.status != Licence.Status.REVOKED:
                raise ApplicationError("Only a revoked licence can be appealed.", code="invalid")
            return _licence_notice(licence, Verb.LICENCE_REVOKED)
        if subject == Subject.SUSPENSION:
            if licence.status != Licence.Status.SUSPENDED:
                raise ApplicationError("Only a suspended licence can be appealed.", code="invalid")
            return _licence_notice(licence, Verb.LICENCE_SUSPENDED)
        if licence.status != Licence.Status.ACTIVE or condition_text not in licence.conditions:
            raise ApplicationError(
                "Choose a condition of an active licence to appeal.", code="invalid"
            )
        return licence.issued_at
    if subject == Subject.MATCH:
        if (
            flag is None
            or flag.application_id != application.pk
            or flag.shadow
            or flag.rule.kind != Rule.Kind.PARTY_MATCH
            or flag.disposition != Flag.Disposition.CONFIRMED
        ):
            raise ApplicationError(
                "Only a confirmed restricted-party match on this application can be appealed.",
                code="invalid",
            )
        return flag.disposed_at
    raise ApplicationError("Choose what to appeal.", code="invalid")


def appeal_existing(
    *,
    subject: str,
    application: Application,
    notice_at: datetime,
    licence: Licence | None = None,
    condition_text: str = "",
    flag: Flag | None = None,
) -> Appeal | None:
    """The appeal already started against this very decision (a withdrawn one does not count)."""
    return (
        Appeal.objects.filter(
            subject=subject,
            application=application,
            licence=licence,
            condition_text=condition_text,
            flag=flag,
            notice_at=notice_at,
            status__in=BLOCKING_STATUSES,
        )
        .order_by("-created_at")
        .first()
    )


def appealable_items_for_application(
    *, user: User, application: Application
) -> list[AppealableItem]:
    """What the user's organisation may appeal on this case, each with its filing deadline
    (empty for anyone who is not a member of the applying organisation)."""
    if not is_member(user, application):
        return []
    candidates: list[dict] = []
    if application.status == Application.Status.REFUSED:
        candidates.append({"subject": Subject.REFUSAL, "label": "The refusal of the application"})
    licence = Licence.objects.filter(application=application).first()
    if licence is not None:
        if licence.status == Licence.Status.REVOKED:
            candidates.append(
                {"subject": Subject.REVOCATION, "label": f"The revocation of {licence.number}"}
            )
        elif licence.status == Licence.Status.SUSPENDED:
            candidates.append(
                {"subject": Subject.SUSPENSION, "label": f"The suspension of {licence.number}"}
            )
        elif licence.status == Licence.Status.ACTIVE:
            for text in licence.conditions:
                candidates.append(
                    {
                        "subject": Subject.CONDITION,
                        "label": f"Condition: {text}",
                        "condition_text": text,
                    }
                )
    matches = Flag.objects.filter(
        application=application,
        shadow=False,
        rule__kind=Rule.Kind.PARTY_MATCH,
        disposition=Flag.Disposition.CONFIRMED,
    ).select_related("rule", "party")
    for flag in matches:
        party = flag.party.name if flag.party else "a party"
        candidates.append(
            {
                "subject": Subject.MATCH,
                "label": f"The match of {party}: {flag.summary}",
                "flag": flag,
            }
        )
    items = []
    for candidate in candidates:
        subject = candidate.pop("subject")
        label = candidate.pop("label")
        if subject in (Subject.REVOCATION, Subject.SUSPENSION, Subject.CONDITION):
            candidate["licence"] = licence
        notice_at = appeal_subject_notice(subject=subject, application=application, **candidate)
        items.append(
            AppealableItem(
                subject=subject,
                label=label,
                notice_at=notice_at,
                filing_deadline=filing_deadline_for(notice_at),
                appeal=appeal_existing(
                    subject=subject, application=application, notice_at=notice_at, **candidate
                ),
                **candidate,
            )
        )
    return items


# --- Reviewers and their independence --------------------------------------------------------


def reviewer_involvement(*, appeal: Appeal, user: User) -> list[str]:
    """How `user` took part in the case appealed (empty when they are independent of it)."""
    application_id = appeal.application_id
    kinds = []
    if Recommendation.objects.filter(application_id=application_id, officer=user).exists():
        kinds.append("recommended on the original case")
    if Decision.objects.filter(application_id=application_id, decided_by=user).exists():
        kinds.append("decided the original case")
    if Advice.objects.filter(consultation__application_id=application_id, advisor=user).exists():
        kinds.append("advised on the original case")
    if Flag.objects.filter(application_id=application_id, disposed_by=user).exists():
        kinds.append("disposed of flags on the original case")
    if Application.objects.filter(pk=application_id, assigned_officer=user).exists():
        kinds.append("is the assigned officer of the original case")
    if appeal.appellant_id == user.pk:
        kinds.append("is the appellant")
    elif Membership.objects.filter(organisation_id=appeal.organisation_id, user=user).exists():
        kinds.append("is a member of the appellant's organisation")
    return kinds


def _involved(appeal: Appeal) -> Q:
    """The users who took part in the case appealed (see `reviewer_involvement`), as a filter."""
    application_id = appeal.application_id
    return (
        Q(pk__in=Recommendation.objects.filter(application_id=application_id).values("officer"))
        | Q(pk__in=Decision.objects.filter(application_id=application_id).values("decided_by"))
        | Q(
            pk__in=Advice.objects.filter(consultation__application_id=application_id).values(
                "advisor"
            )
        )
        | Q(
            pk__in=Flag.objects.filter(
                application_id=application_id, disposed_by__isnull=False
            ).values("disposed_by")
        )
        | Q(
            pk__in=Application.objects.filter(
                pk=application_id, assigned_officer__isnull=False
            ).values("assigned_officer")
        )
        | Q(pk=appeal.appellant_id)
        | Q(pk__in=Membership.objects.filter(organisation_id=appeal.organisation_id).values("user"))
    )


def eligible_officers(*, appeal: Appeal) -> QuerySet[User]:
    """Case officers independent of the case, who may review a remitted refusal afresh."""
    return reviewers().exclude(_involved(appeal))


def eligible_reviewers(*, appeal: Appeal) -> QuerySet[User]:
    """Active appeals reviewers independent of the case, the least loaded first (open appeals
    they are reviewing), in one query."""
    holders = User.objects.filter(
        Q(
            groups__permissions__codename="review_appeal",
            groups__permissions__content_type__app_label="appeals",
        )
        | Q(
            user_permissions__codename="review_appeal",
            user_permissions__content_type__app_label="appeals",
        )
    ).values("pk")
    return (
        User.objects.filter(is_active=True, pk__in=holders)
        .exclude(_involved(appeal))
        .annotate(
            open_appeals=Count(
                "appeals_reviewed", filter=Q(appeals_reviewed__status__in=OPEN_STATUSES)
            )
        )
        .order_by("open_appeals", "pk")
    )


__all__ = [
    "AppealableItem",
    "appeal_get_for_user",
    "appeal_list_for_user",
    "appeal_queue",
    "appeal_timeline",
    "appealable_items_for_application",
    "appeals_for_application",
    "eligible_officers",
    "eligible_reviewers",
    "filing_deadline_for",
    "reviewer_involvement",
]

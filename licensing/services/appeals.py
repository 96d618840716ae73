"""What an appeal's decision does to a case or a licence.

Each service is small, atomic and audited, and is called by `appeals.services.appeal_decide`
with the appeals reviewer as the actor (authorised by appeals.review_appeal). A decision that
an appeal overturns or remits is never edited: it is superseded (`superseded_at`), so the case
keeps its history and has one decision in force.
"""

from django.db import transaction
from django.utils import timezone

from exportgov.accounts.models import User
from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record
from exportgov.core.exceptions import ApplicationError

from .. import deadlines
from ..models import Application, Decision, Licence, Outcome, Recommendation
from ..permissions import require_perm
from . import notify
from ._transitions import locked, transition

Verb = AuditEvent.Verb
Status = Application.Status

REVIEW_APPEAL = "appeals.review_appeal"


def _require_appeals_reviewer(actor: User) -> None:
    require_perm(actor, REVIEW_APPEAL, "Only appeals reviewers can change a case on appeal.")


def _require_reasons(reasons: str) -> str:
    reasons = (reasons or "").strip()
    if not reasons:
        raise ApplicationError("Give the appeal's reasons.", code="reasons_required")
    return reasons


def _supersede_decision(application: Application) -> Decision | None:
    decision = application.decisions.select_for_update().filter(superseded_at__isnull=True).first()
    if decision is not None:
        decision.superseded_at = timezone.now()
        decision.save(update_fields=["superseded_at"])
    return decision


def recommended_conditions(recommendation: Recommendation | None) -> list[str]:
    """The condition texts an approve recommendation proposed (catalogue, then custom)."""
    if recommendation is None:
        return []
    conditions = [condition.text for condition in recommendation.conditions.all()]
    conditions += [
        line.strip() for line in recommendation.custom_conditions.splitlines() if line.strip()
    ]
    return conditions


@transaction.atomic
def application_approve_on_appeal(
    *, actor: User, application: Application, appeal_reference: str, reasons: str
) -> Licence:
    """The refusal is overturned: a new approve decision supersedes it and the licence is
    issued through the normal licence service (which tells the holder)."""
    from .licences import licence_issue

    _require_appeals_reviewer(actor)
    reasons = _require_reasons(reasons)
    application = locked(application)
    in_force = application.decision
    if (
        application.status == Status.APPROVED
        and in_force is not None
        and in_force.on_appeal == appeal_reference
    ):
        return licence_issue(actor=actor, application=application, decision=in_force)
    if application.status != Status.REFUSED or in_force is None:
        raise ApplicationError(
            "Only a refused case can be approved on appeal.", code="invalid_transition"
        )
    superseded = _supersede_decision(application)
    latest_approve = (
        application.recommendations.filter(outcome=Outcome.APPROVE)
        .order_by("-created_at", "-id")
        .first()
    )
    decision = Decision.objects.create(
        application=application,
        recommendation=None,
        on_appeal=appeal_reference,
        decided_by=actor,
        outcome=Outcome.APPROVE,
        conditions=recommended_conditions(latest_approve),
        grounds=[],
        explanation=reasons,
    )
    application.decided_at = decision.created_at
    transition(
        application,
        "approve_on_appeal",
        actor=actor,
        verb=Verb.APPROVED_ON_APPEAL,
        fields=("decided_at",),
        payload={
            "appeal": appeal_reference,
            "decision": decision.pk,
            "superseded": superseded.pk if superseded else None,
        },
    )
    return licence_issue(actor=actor, application=application, decision=decision)


def officer_involvement(application: Application, officer: User) -> str:
    """Why `officer` may not review the case afresh ("" when they may)."""
    if application.recommendations.filter(officer=officer).exists():
        return "recommended on"
    if application.decisions.filter(decided_by=officer).exists():
        return "decided"
    if application.assigned_officer_id == officer.pk:
        return "was the officer of"
    return ""


@transaction.atomic
def application_reopen_on_appeal(
    *,
    actor: User,
    application: Application,
    officer: User,
    appeal_reference: str,
    reasons: str,
) -> Application:
    """The refusal is remitted: it is superseded and the case goes back under review, to an
    officer who took no part in it, with a new deadline."""
    _require_appeals_reviewer(actor)
    reasons = _require_reasons(reasons)
    if officer is None:
        raise ApplicationError(
            "Choose the case officer who will review the case afresh.", code="officer_required"
        )
    application = locked(application)
    if (
        application.status == Status.UNDER_REVIEW
        and application.assigned_officer_id == officer.pk
        and application.decision is None
    ):
        return application
    if not officer.is_active or not officer.has_perm("licensing.review_application"):
        raise ApplicationError(f"{officer} cannot review cases.", code="not_an_officer")
    involvement = officer_involvement(application, officer)
    if involvement:
        raise ApplicationError(
            f"{officer} {involvement} this case: a remitted case needs a fresh officer.",
            code="not_independent",
        )
    if application.status != Status.REFUSED:
        raise ApplicationError(
            "Only a refused case can be reopened on appeal.", code="invalid_transition"
        )
    superseded = _supersede_decision(application)
    today = timezone.localdate()
    application.assigned_officer = officer
    application.decided_at = None
    application.clock_paused_since = None
    application.paused_working_days = 0
    application.deadline_on = deadlines.deadline_for(
        submitted_on=today, tier=application.tier or "medium"
    )
    transition(
        application,
        "reopen_on_appeal",
        actor=actor,
        verb=Verb.REOPENED_ON_APPEAL,
        fields=(
            "assigned_officer",
            "decided_at",
            "clock_paused_since",
            "paused_working_days",
            "deadline_on",
        ),
        payload={
            "appeal": appeal_reference,
            "officer": officer.get_full_name() or officer.username,
            "superseded": superseded.pk if superseded else None,
            "deadline_on": application.deadline_on,
            "reasons": reasons,
        },
    )
    notify.notify_officials(
        application=application,
        people=[officer],
        template="appeal_case_reopened",
        context={"appeal_reference": appeal_reference, "reasons": reasons},
    )
    return application


def _licence_on_appeal(
    *,
    actor: User,
    licence: Licence,
    name: str,
    verb: AuditEvent.Verb,
    appeal_reference: str,
    reasons: str,
) -> Licence:
    _require_appeals_reviewer(actor)
    reasons = _require_reasons(reasons)
    licence = locked(licence)
    if licence.status == Licence.Status.ACTIVE:
        return licence
    licence.status_reason = ""
    transition(
        licence,
        name,
        actor=actor,
        verb=verb,
        fields=("status_reason",),
        payload={"appeal": appeal_reference, "reasons": reasons},
    )
    notify.notify_licence_holder(
        licence=licence,
        template="licence_changed",
        context={"reason": f"Appeal {appeal_reference} was allowed: {reasons}"},
    )
    return licence


@transaction.atomic
def licence_restore_on_appeal(
    *, actor: User, licence: Licence, appeal_reference: str, reasons: str
) -> Licence:
    """The revocation is overturned: the licence is active again."""
    return _licence_on_appeal(
        actor=actor,
        licence=licence,
        name="restore_on_appeal",
        verb=Verb.LICENCE_RESTORED,
        appeal_reference=appeal_reference,
        reasons=reasons,
    )


@transaction.atomic
def licence_reinstate_on_appeal(
    *, actor: User, licence: Licence, appeal_reference: str, reasons: str
) -> Licence:
    """The suspension is overturned: the licence is active again."""
    return _licence_on_appeal(
        actor=actor,
        licence=licence,
        name="reinstate",
        verb=Verb.LICENCE_REINSTATED,
        appeal_reference=appeal_reference,
        reasons=reasons,
    )


@transaction.atomic
def licence_condition_remove(
    *, actor: User, licence: Licence, condition_text: str, appeal_reference: str
) -> Licence:
    """The condition is overturned: it is taken off the licence (removing it again changes
    nothing)."""
    _require_appeals_reviewer(actor)
    licence = locked(licence)
    if condition_text not in licence.conditions:
        return licence
    if licence.status not in (Licence.Status.ACTIVE, Licence.Status.SUSPENDED):
        raise ApplicationError(
            f"A licence that is {licence.get_status_display().lower()} cannot be amended.",
            code="invalid_transition",
        )
    licence.conditions = [text for text in licence.conditions if text != condition_text]
    licence.save(update_fields=["conditions"])
    audit_record(
        actor=actor,
        verb=Verb.LICENCE_CONDITION_REMOVED,
        target=licence,
        payload={"appeal": appeal_reference, "condition": condition_text},
    )
    notify.notify_licence_holder(
        licence=licence,
        template="licence_changed",
        context={"reason": f"Appeal {appeal_reference} removed the condition: {condition_text}"},
    )
    return licence

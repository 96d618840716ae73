"""The officials' side of a case: triage, review, information requests, consultations,
recommendation and decision."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from exportgov.accounts.models import Team, User
from exportgov.accounts.roles import Role
from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record
from exportgov.core.exceptions import ApplicationError

from .. import deadlines
from ..models import (
    Advice,
    Application,
    CaseNote,
    Consultation,
    Decision,
    InformationRequest,
    LicenceCondition,
    Outcome,
    Recommendation,
    RefusalCriterion,
    Tier,
)
from ..permissions import require_advisor_of, require_member, require_perm, require_reviewer
from . import notify
from ._transitions import locked, transition

Verb = AuditEvent.Verb
Status = Application.Status


def _today():
    return timezone.localdate()


@transaction.atomic
def case_start_screening(*, application: Application) -> Application:
    application = locked(application)
    if application.status == Status.SCREENING:
        return application
    transition(application, "start_screening", actor=None, verb=Verb.SCREENING_STARTED)
    return application


@transaction.atomic
def case_fail_screening(*, application: Application, error: str) -> Application:
    """Screening failed for good: the case waits in `screening_failed`, where officials see it
    and can retry it; the licensing team is told."""
    application = locked(application)
    if application.status != Status.SCREENING:
        return application
    transition(
        application,
        "fail_screening",
        actor=None,
        verb=Verb.SCREENING_FAILED,
        payload={"error": error},
    )
    notify.notify_officials(
        application=application,
        people=licensing_officers(),
        template="screening_failed",
        context={"error": error},
    )
    return application


def licensing_officers():
    """The case officers of the licensing team (none when there is no such team)."""
    team = Team.objects.filter(kind=Team.Kind.LICENSING).order_by("id").first()
    if team is None:
        return User.objects.none()
    return team.members.filter(groups__name=Role.CASE_OFFICER)


@transaction.atomic
def case_route_to_triage(
    *, application: Application, tier: str | None, risk_score: int | None
) -> Application:
    """Screening has finished: set the tier and deadline, and queue the case for the licensing unit.

    Called by the screening pipeline with its result. Without a result (`tier=None`) the case
    gets the configured default tier, so that it is reviewed with care until it is screened.
    """
    application = locked(application)
    if application.status == Status.TRIAGE:
        return application
    application.tier = tier or settings.LICENSING_UNSCREENED_TIER
    application.risk_score = risk_score
    application.team = Team.objects.filter(kind=Team.Kind.LICENSING).order_by("id").first()
    application.deadline_on = deadlines.deadline_for(
        submitted_on=timezone.localdate(application.submitted_at), tier=application.tier
    )
    transition(
        application,
        "finish_screening",
        actor=None,
        verb=Verb.CASE_TRIAGED,
        fields=("tier", "risk_score", "team", "deadline_on"),
        payload={"tier": application.tier, "risk_score": risk_score},
    )
    if application.team is not None:
        officers = application.team.members.filter(groups__name=Role.CASE_OFFICER)
        notify.notify_officials(application=application, people=officers, template="case_queued")
    return application


@transaction.atomic
def case_claim(*, actor: User, application: Application) -> Application:
    """The officer takes a case from the triage queue and starts reviewing it.

    Claiming a case that another officer has already claimed is refused (assigning it to
    someone else is `case_assign`); claiming one's own case again changes nothing.
    """
    require_reviewer(actor)
    application = locked(application)
    if application.status != Status.TRIAGE and application.assigned_officer_id not in (
        None,
        actor.pk,
    ):
        raise ApplicationError(
            f"{application.assigned_officer} has already claimed this case.",
            code="already_claimed",
        )
    return case_assign(actor=actor, application=application, officer=actor)


@transaction.atomic
def case_assign(*, actor: User, application: Application, officer: User) -> Application:
    require_reviewer(actor)
    if not officer.has_perm("licensing.review_application"):
        raise ApplicationError(f"{officer} cannot review cases.")
    application = locked(application)
    if application.status not in (
        Status.TRIAGE,
        Status.UNDER_REVIEW,
        Status.INFO_REQUESTED,
        Status.IN_CONSULTATION,
    ):
        raise ApplicationError("Only a case in triage or under review can be assigned.")
    previous = application.assigned_officer
    application.assigned_officer = officer
    if application.status == Status.TRIAGE:
        transition(
            application,
            "start_review",
            actor=actor,
            verb=Verb.REVIEW_STARTED,
            fields=("assigned_officer",),
            payload={"officer": officer.get_full_name()},
        )
    elif previous != officer:
        application.save(update_fields=["assigned_officer", "updated_at"])
        audit_record(
            actor=actor,
            verb=Verb.CASE_ASSIGNED,
            target=application,
            payload={"officer": officer.get_full_name()},
        )
    return application


@transaction.atomic
def case_note_add(*, actor: User, application: Application, text: str) -> CaseNote:
    require_reviewer(actor)
    note = CaseNote.objects.create(application=application, author=actor, text=text)
    audit_record(actor=actor, verb=Verb.NOTE_ADDED, target=application, payload={"note": note.pk})
    return note


@transaction.atomic
def information_request_create(
    *, actor: User, application: Application, question: str
) -> InformationRequest:
    """Ask the exporter a question; the deadline clock stops until they answer."""
    require_reviewer(actor)
    application = locked(application)
    application.clock_paused_since = _today()
    request = InformationRequest.objects.create(
        application=application, requested_by=actor, question=question
    )
    transition(
        application,
        "request_information",
        actor=actor,
        verb=Verb.INFORMATION_REQUESTED,
        fields=("clock_paused_since",),
        payload={"request": request.pk, "question": question},
    )
    notify.notify_applicant(
        application=application, template="information_requested", context={"request": request}
    )
    return request


@transaction.atomic
def information_request_answer(
    *, actor: User, request: InformationRequest, answer: str
) -> InformationRequest:
    """The exporter answers; the clock restarts with the deadline moved by the paused days."""
    request = locked(request)
    application = locked(request.application)
    require_member(actor, application)
    if not request.is_open:
        return request
    request.answer = answer
    request.answered_by = actor
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_by", "answered_at"])
    paused = max(0, deadlines.working_days_between(application.clock_paused_since, _today()))
    application.paused_working_days += paused
    application.clock_paused_since = None
    application.deadline_on = deadlines.deadline_for(
        submitted_on=timezone.localdate(application.submitted_at),
        tier=application.tier,
        paused_working_days=application.paused_working_days,
    )
    transition(
        application,
        "receive_information",
        actor=actor,
        verb=Verb.INFORMATION_PROVIDED,
        fields=("paused_working_days", "clock_paused_since", "deadline_on"),
        payload={"request": request.pk, "paused_working_days": paused},
    )
    if application.assigned_officer:
        notify.notify_officials(
            application=application,
            people=[application.assigned_officer],
            template="information_provided",
        )
    return request


@transaction.atomic
def consultation_request(
    *, actor: User, application: Application, teams: list[Team], question: str
) -> list[Consultation]:
    """Refer the case to advisory bodies; their advisors may then see this case, and only this."""
    require_reviewer(actor)
    if not teams:
        raise ApplicationError("Choose at least one advisory body.")
    if any(team.kind != Team.Kind.ADVISORY for team in teams):
        raise ApplicationError("Cases can only be referred to advisory bodies.")
    application = locked(application)
    consultations = [
        Consultation.objects.create(
            application=application, team=team, question=question, requested_by=actor
        )
        for team in teams
    ]
    for team in teams:
        assign_perm("licensing.view_application", team.group, application)
    transition(
        application,
        "refer",
        actor=actor,
        verb=Verb.CONSULTATION_REQUESTED,
        payload={"teams": [team.code for team in teams], "question": question},
    )
    for consultation in consultations:
        notify.notify_officials(
            application=application,
            people=consultation.team.members.all(),
            template="consultation_requested",
            context={"consultation": consultation},
        )
    return consultations


@transaction.atomic
def advice_give(*, actor: User, consultation: Consultation, outcome: str, rationale: str) -> Advice:
    """Record advice. Earlier advice is never changed: the new record supersedes it."""
    require_advisor_of(actor, consultation)
    application = locked(consultation.application)
    if application.is_decided or application.status == Status.WITHDRAWN:
        raise ApplicationError("The case is closed; advice can no longer be given.")
    current = consultation.advice.filter(superseded_by__isnull=True).first()
    advice = Advice.objects.create(
        consultation=consultation,
        advisor=actor,
        outcome=outcome,
        rationale=rationale,
        supersedes=current,
    )
    audit_record(
        actor=actor,
        verb=Verb.ADVICE_GIVEN,
        target=application,
        payload={
            "team": consultation.team.code,
            "outcome": outcome,
            "revises": current.pk if current else None,
        },
    )
    waiting = application.consultations.filter(advice__isnull=True).exists()
    if application.status == Status.IN_CONSULTATION and not waiting:
        transition(application, "end_consultation", actor=actor, verb=Verb.CONSULTATION_ENDED)
    if application.assigned_officer:
        notify.notify_officials(
            application=application,
            people=[application.assigned_officer],
            template="advice_given",
            context={"advice": advice},
        )
    return advice


@transaction.atomic
def consultation_end(*, actor: User, application: Application) -> Application:
    """The officer resumes review without waiting for every answer."""
    require_reviewer(actor)
    application = locked(application)
    transition(application, "end_consultation", actor=actor, verb=Verb.CONSULTATION_ENDED)
    return application


@transaction.atomic
def recommendation_make(
    *,
    actor: User,
    application: Application,
    outcome: str,
    explanation: str,
    conditions: list[LicenceCondition] = (),
    custom_conditions: str = "",
    refusal_criteria: list[RefusalCriterion] = (),
) -> Recommendation:
    require_reviewer(actor)
    application = locked(application)
    _require_flags_disposed(application, "recommending")
    if outcome == Outcome.REFUSE and not refusal_criteria:
        raise ApplicationError(
            "A refusal needs at least one published refusal criterion as its grounds."
        )
    if outcome == Outcome.APPROVE and refusal_criteria:
        raise ApplicationError("Refusal criteria do not belong to a recommendation to approve.")
    retired = [entry for entry in [*conditions, *refusal_criteria] if not entry.active]
    if retired:
        raise ApplicationError(f"“{retired[0]}” was retired from the catalogue; choose another.")
    recommendation = Recommendation.objects.create(
        application=application,
        officer=actor,
        outcome=outcome,
        explanation=explanation,
        custom_conditions=custom_conditions.strip() if outcome == Outcome.APPROVE else "",
    )
    if outcome == Outcome.APPROVE:
        recommendation.conditions.set(conditions)
    else:
        recommendation.refusal_criteria.set(refusal_criteria)
    transition(
        application,
        "recommend",
        actor=actor,
        verb=Verb.RECOMMENDED,
        payload={"recommendation": recommendation.pk, "outcome": outcome},
    )
    return recommendation


@transaction.atomic
def recommendation_return(*, actor: User, application: Application, reason: str) -> Application:
    """The decider sends the case back to the officer instead of deciding."""
    require_perm(
        actor, "licensing.decide_application", "Only a senior official can return a recommendation."
    )
    application = locked(application)
    transition(
        application,
        "return_for_review",
        actor=actor,
        verb=Verb.RECOMMENDATION_RETURNED,
        payload={"reason": reason},
    )
    return application


@transaction.atomic
def decision_make(*, actor: User, application: Application, explanation: str = "") -> Decision:
    """Decide as recommended. Four eyes on medium and high tier; high tier needs advice too.

    Two officials deciding at once: the row lock makes the second wait, then it finds the case
    decided and gets an error, so there is exactly one decision.
    """
    if not actor.has_perm("licensing.review_application"):
        raise PermissionDenied("Only officials can decide cases.")
    application = locked(application)
    if application.status != Status.RECOMMENDED:
        raise ApplicationError(
            "Only a recommended case can be decided; "
            f"this one is {application.get_status_display().lower()}.",
            code="invalid_transition",
        )
    recommendation = application.recommendations.order_by("-created_at", "-id").first()
    _check_decider(actor, application, recommendation)
    # A re-screen may have raised a flag after the recommendation was made.
    _require_flags_disposed(application, "deciding")
    if recommendation.outcome == Outcome.APPROVE:
        conditions = [condition.text for condition in recommendation.conditions.all()]
        conditions += [
            line.strip() for line in recommendation.custom_conditions.splitlines() if line.strip()
        ]
        grounds = []
    else:
        conditions = []
        grounds = [
            {"code": c.code, "title": c.title, "description": c.description}
            for c in recommendation.refusal_criteria.all()
        ]
    decision = Decision.objects.create(
        application=application,
        recommendation=recommendation,
        decided_by=actor,
        outcome=recommendation.outcome,
        conditions=conditions,
        grounds=grounds,
        explanation="\n\n".join(filter(None, [recommendation.explanation, explanation.strip()])),
    )
    application.decided_at = decision.created_at
    approving = decision.outcome == Outcome.APPROVE
    transition(
        application,
        "approve" if approving else "refuse",
        actor=actor,
        verb=Verb.APPROVED if approving else Verb.REFUSED,
        fields=("decided_at",),
        payload={"decision": decision.pk},
    )
    if approving:
        from .licences import licence_issue

        licence_issue(actor=actor, application=application, decision=decision)
    else:
        notify.notify_applicant(
            application=application, template="application_refused", context={"decision": decision}
        )
    return decision


def _require_flags_disposed(application: Application, before: str) -> None:
    """Every live screening flag must be confirmed or dismissed first (the caller holds the
    case's lock, which flag_dispose takes too)."""
    from screening.selectors_flags import flag_pending_count

    pending = flag_pending_count(application=application)
    if pending:
        raise ApplicationError(
            f"{pending} flag{'s' if pending != 1 else ''} still need{'' if pending != 1 else 's'} "
            f"a decision: confirm or dismiss each one before {before}.",
            code="flags_pending",
        )


def _check_decider(actor: User, application: Application, recommendation: Recommendation) -> None:
    if application.tier == Tier.LOW:
        if not (
            actor.has_perm("licensing.decide_application")
            or actor.has_perm("licensing.review_application")
        ):
            raise PermissionDenied("Only officials can decide cases.")
        return
    require_perm(
        actor, "licensing.decide_application", "Only a senior official can decide this case."
    )
    if recommendation.officer_id == actor.pk:
        raise ApplicationError(
            "Four eyes: on a medium or high tier case the decider must not be the recommender.",
            code="four_eyes",
        )
    if (
        application.tier == Tier.HIGH
        and not Advice.objects.filter(consultation__application=application).exists()
    ):
        raise ApplicationError(
            "A high tier case needs at least one answered consultation before it is decided.",
            code="consultation",
        )

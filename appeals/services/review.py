"""The reviewers' side: assignment, the lateness decision, questions, and the decision with
its effects on the case, the licence or the flag."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from exportgov.accounts.models import Team, User
from exportgov.accounts.roles import Role
from exportgov.audit.services import audit_record
from exportgov.core.exceptions import ApplicationError
from licensing import deadlines
from licensing.services import appeals as licensing_effects
from screening.services import flags as flag_effects

from .. import notify
from ..models import Appeal, AppealInformationRequest
from ..selectors import eligible_reviewers
from ._common import (
    ASSIGN_APPEAL,
    REVIEW_APPEAL,
    Status,
    Verb,
    locked,
    name_of,
    require_appellant_side,
    require_assigned_reviewer,
    require_independent,
    require_reviewer_role,
    today,
    transition,
)
from .learning import involved_rules_for

Subject = Appeal.Subject

# The statuses in which an appeal has (or waits for) a reviewer.
ASSIGNABLE = [Status.LATE_REVIEW, Status.LODGED, Status.UNDER_REVIEW, Status.INFO_REQUESTED]
OUTCOMES = {
    Status.UPHELD: ("uphold", Verb.APPEAL_UPHELD),
    Status.OVERTURNED: ("overturn", Verb.APPEAL_OVERTURNED),
    Status.REMITTED: ("remit", Verb.APPEAL_REMITTED),
}


def _review_deadline(start) -> object:
    return deadlines.add_working_days(start, settings.APPEALS_WORKING_DAYS)


def _give_to(appeal: Appeal, reviewer: User, *, actor: User | None, automatic: bool) -> None:
    """Set the reviewer (the caller holds the lock and checked everything); a lodged appeal's
    review starts with its deadline."""
    previous = appeal.reviewer
    appeal.reviewer = reviewer
    payload = {"reviewer": name_of(reviewer), "automatic": automatic}
    if previous is not None:
        payload["previous_reviewer"] = name_of(previous)
    verb = Verb.APPEAL_REASSIGNED if previous is not None else Verb.APPEAL_ASSIGNED
    if appeal.status == Status.LODGED:
        appeal.deadline_on = _review_deadline(today())
        payload["deadline_on"] = appeal.deadline_on
        transition(
            appeal,
            "start_review",
            actor=actor,
            verb=verb,
            fields=("reviewer", "deadline_on"),
            payload=payload,
        )
    else:
        appeal.save(update_fields=["reviewer", "updated_at"])
        audit_record(actor=actor, verb=verb, target=appeal, payload=payload)
    notify.notify_officials(appeal=appeal, people=[reviewer], template="appeal_assigned")


def assign_automatically(appeal: Appeal) -> User | None:
    """Give a just-lodged appeal to the eligible reviewer with the fewest open appeals; with
    none eligible it stays in the queue for someone who assigns appeals."""
    reviewer = eligible_reviewers(appeal=appeal).first()
    if reviewer is not None:
        _give_to(appeal, reviewer, actor=None, automatic=True)
    return reviewer


@transaction.atomic
def appeal_assign(*, actor: User, appeal: Appeal, reviewer: User) -> Appeal:
    """Assign (or reassign) the appeal to an independent reviewer. Assigning a lodged appeal
    starts its review; a reassignment is audited as such."""
    if not actor.is_authenticated or not actor.has_perm(ASSIGN_APPEAL):
        raise PermissionDenied("Only those who assign appeals can do this.")
    appeal = locked(appeal)
    if appeal.status not in ASSIGNABLE:
        raise ApplicationError(
            f"An appeal that is {appeal.get_status_display().lower()} cannot be assigned.",
            code="invalid_transition",
        )
    if appeal.reviewer_id == reviewer.pk:
        return appeal
    if not reviewer.is_active or not reviewer.has_perm(REVIEW_APPEAL):
        raise ApplicationError(f"{name_of(reviewer)} does not review appeals.", code="not_reviewer")
    require_independent(appeal, reviewer)
    _give_to(appeal, reviewer, actor=actor, automatic=False)
    return appeal


@transaction.atomic
def appeal_lateness_decide(*, actor: User, appeal: Appeal, accept: bool, reason: str) -> Appeal:
    """The reviewer accepts a late appeal (its review starts) or rejects it (final, with the
    reason published to the appellant)."""
    require_reviewer_role(actor)
    appeal = locked(appeal)
    if appeal.status != Status.LATE_REVIEW and appeal.lateness_decision_reason:
        return appeal  # decided already
    require_assigned_reviewer(actor, appeal)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            "Give the reason for the decision: the appellant reads it.", code="reason_required"
        )
    appeal.lateness_decision_reason = reason
    transition(
        appeal,
        "accept_lateness" if accept else "reject_lateness",
        actor=actor,
        verb=Verb.APPEAL_LATENESS_ACCEPTED if accept else Verb.APPEAL_LATENESS_REJECTED,
        fields=("lateness_decision_reason",),
        payload={"reason": reason},
    )
    if accept:
        appeal.deadline_on = _review_deadline(today())
        transition(
            appeal,
            "start_review",
            actor=actor,
            verb=Verb.APPEAL_ASSIGNED,
            fields=("deadline_on",),
            payload={"reviewer": name_of(actor), "deadline_on": appeal.deadline_on},
        )
    notify.notify_appellant(
        appeal=appeal, template="appeal_lateness_decided", context={"accepted": accept}
    )
    return appeal


@transaction.atomic
def appeal_information_request(
    *, actor: User, appeal: Appeal, question: str
) -> AppealInformationRequest:
    """Ask the appellant a question; the review clock stops until they answer."""
    require_reviewer_role(actor)
    appeal = locked(appeal)
    require_assigned_reviewer(actor, appeal)
    question = (question or "").strip()
    if not question:
        raise ApplicationError("Write the question.", code="question_required")
    if appeal.status != Status.UNDER_REVIEW:
        raise ApplicationError(
            f"A question can only be asked while the appeal is under review; it is "
            f"{appeal.get_status_display().lower()}.",
            code="invalid_transition",
        )
    request = AppealInformationRequest.objects.create(
        appeal=appeal, requested_by=actor, question=question
    )
    appeal.clock_paused_since = today()
    transition(
        appeal,
        "request_information",
        actor=actor,
        verb=Verb.APPEAL_INFORMATION_REQUESTED,
        fields=("clock_paused_since",),
        payload={"request": request.pk, "question": question},
    )
    notify.notify_appellant(
        appeal=appeal, template="appeal_information_requested", context={"request": request}
    )
    return request


@transaction.atomic
def appeal_information_answer(
    *, actor: User, request: AppealInformationRequest, answer: str, uploads=()
) -> AppealInformationRequest:
    """The appellant answers (with documents if any); the clock restarts and the deadline
    moves by the working days it was paused."""
    from .filing import appeal_document_add

    appeal = locked(request.appeal)
    request = locked(request)
    require_appellant_side(actor, appeal)
    if not request.is_open:
        return request
    answer = (answer or "").strip()
    if not answer and not uploads:
        raise ApplicationError("Write an answer or attach a document.", code="answer_required")
    for upload in uploads:
        appeal_document_add(actor=actor, appeal=appeal, upload=upload, information_request=request)
    request.answer = answer
    request.answered_by = actor
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_by", "answered_at"])
    paused = 0
    if appeal.clock_paused_since is not None:
        paused = max(0, deadlines.working_days_between(appeal.clock_paused_since, today()))
    appeal.paused_working_days += paused
    appeal.clock_paused_since = None
    if appeal.deadline_on is not None:
        appeal.deadline_on = deadlines.add_working_days(appeal.deadline_on, paused)
    transition(
        appeal,
        "receive_information",
        actor=actor,
        verb=Verb.APPEAL_INFORMATION_PROVIDED,
        fields=("paused_working_days", "clock_paused_since", "deadline_on"),
        payload={"request": request.pk, "paused_working_days": paused},
    )
    notify.notify_officials(
        appeal=appeal, people=[appeal.reviewer], template="appeal_information_provided"
    )
    return request


@transaction.atomic
def appeal_decide(
    *, actor: User, appeal: Appeal, outcome: str, reasons: str, officer: User | None = None
) -> Appeal:
    """Decide with reasons (published to the appellant): upheld, overturned or remitted.

    Only the assigned reviewer decides, and their independence is checked again. The rules
    whose flags were part of the decision appealed are recorded for the rules' appeal record.
    """
    require_reviewer_role(actor)
    appeal = locked(appeal)
    if outcome not in OUTCOMES:
        raise ApplicationError("Choose upheld, overturned or remitted.", code="invalid")
    if appeal.status == outcome:
        return appeal
    require_assigned_reviewer(actor, appeal)
    reasons = (reasons or "").strip()
    if not reasons:
        raise ApplicationError(
            "Give the reasons for the decision: the appellant reads them.",
            code="reasons_required",
        )
    remitting_refusal = outcome == Status.REMITTED and appeal.subject == Subject.REFUSAL
    if remitting_refusal and officer is None:
        raise ApplicationError(
            "Choose the case officer who will review the case afresh.", code="officer_required"
        )
    appeal.involved_rules.set(involved_rules_for(appeal))
    appeal.decision_reasons = reasons
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    appeal.clock_paused_since = None
    name, verb = OUTCOMES[outcome]
    payload = {"reasons": reasons, "rules": [str(rule) for rule in appeal.involved_rules.all()]}
    if remitting_refusal:
        payload["officer"] = name_of(officer)
    transition(
        appeal,
        name,
        actor=actor,
        verb=verb,
        fields=("decision_reasons", "decided_by", "decided_at", "clock_paused_since"),
        payload=payload,
    )
    _apply_outcome(actor=actor, appeal=appeal, outcome=outcome, reasons=reasons, officer=officer)
    notify.notify_appellant(appeal=appeal, template="appeal_decided")
    return appeal


def _apply_outcome(
    *, actor: User, appeal: Appeal, outcome: str, reasons: str, officer: User | None
) -> None:
    reference = appeal.reference
    if outcome == Status.UPHELD:
        return
    if appeal.subject == Subject.REFUSAL:
        if outcome == Status.OVERTURNED:
            licensing_effects.application_approve_on_appeal(
                actor=actor,
                application=appeal.application,
                appeal_reference=reference,
                reasons=reasons,
            )
        else:
            licensing_effects.application_reopen_on_appeal(
                actor=actor,
                application=appeal.application,
                officer=officer,
                appeal_reference=reference,
                reasons=reasons,
            )
        return
    if appeal.subject == Subject.MATCH:
        effect = (
            flag_effects.flag_overturn_on_appeal
            if outcome == Status.OVERTURNED
            else flag_effects.flag_reopen_on_appeal
        )
        effect(actor=actor, flag=appeal.flag, reason=reasons, appeal_reference=reference)
        return
    if outcome == Status.REMITTED:  # a licence subject: the licensing team looks again
        team = Team.objects.filter(kind=Team.Kind.LICENSING).order_by("id").first()
        if team is not None:
            officers = team.members.filter(
                groups__name__in=[Role.CASE_OFFICER, Role.SENIOR_OFFICIAL]
            ).distinct()
            notify.notify_officials(appeal=appeal, people=officers, template="appeal_decided")
        return
    if appeal.subject == Subject.REVOCATION:
        licensing_effects.licence_restore_on_appeal(
            actor=actor, licence=appeal.licence, appeal_reference=reference, reasons=reasons
        )
    elif appeal.subject == Subject.SUSPENSION:
        licensing_effects.licence_reinstate_on_appeal(
            actor=actor, licence=appeal.licence, appeal_reference=reference, reasons=reasons
        )
    elif appeal.subject == Subject.CONDITION:
        licensing_effects.licence_condition_remove(
            actor=actor,
            licence=appeal.licence,
            condition_text=appeal.condition_text,
            appeal_reference=reference,
        )

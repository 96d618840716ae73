"""Public consultations on proposed rule changes: opening one, the public's comments and their
moderation, and the decision that answers them.

- `consultation_open`: a policy admin proposes a change to a rule version in force (or a new
  rule) with a closing date at least settings.CONSULTATION_MIN_DAYS away; a public notice is
  published.
- `consultation_comment_submit`: anyone comments until the end of the closing day (local
  time); each comment waits for moderation. The consultation's opener is notified when a
  comment arrives and no other one was waiting.
- `consultation_comment_moderate`: a moderator publishes a pending comment or rejects it with a
  reason, which is published in place of the comment.
- `consultation_decide`: after the closing date, once no comment awaits moderation, the admin
  decides (proceed, proceed with changes, withdraw) with a response summary that must answer
  the comments published; a public notice is published. The consultation never edits a rule
  itself: the admin then makes the change on the rule's edit page, which publishes its own
  notice.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from exportgov.accounts.models import User
from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record
from exportgov.notifications.services import notification_send

from ..models import Consultation, ConsultationComment, PublicNotice, Rule
from .notices import notice_day, notice_publish

Verb = AuditEvent.Verb
Outcome = Consultation.Outcome
CommentStatus = ConsultationComment.Status

OPEN_PERMISSION = "screening.manage_rules"
DECIDE_PERMISSION = "screening.manage_rules"
MODERATE_PERMISSION = "screening.moderate_consultation"
COMMENT_MAX_CHARS = 5000
RESPONSE_MIN_CHARS = 50  # when comments were published, the answer to them must be substantive
NOTIFICATION_TEMPLATE = "consultation_comment_pending"
TITLE_MAX_CHARS = Consultation._meta.get_field("title").max_length
AUTHOR_MAX_CHARS = ConsultationComment._meta.get_field("author_name").max_length
ORGANISATION_MAX_CHARS = ConsultationComment._meta.get_field("organisation_name").max_length


def consultation_earliest_close(*, today: datetime.date | None = None) -> datetime.date:
    """The earliest closing date a consultation opened today may have."""
    today = today or timezone.localdate()
    return today + datetime.timedelta(days=settings.CONSULTATION_MIN_DAYS)


def _text(value: str | None) -> str:
    return (value or "").strip()


# --- Opening --------------------------------------------------------------------------------


def consultation_open_clean(
    *,
    rule: Rule | None,
    title: str,
    proposal: str,
    rationale: str,
    closes_on: datetime.date | None,
    today: datetime.date,
) -> dict:
    """The proposal's fields checked together; ValidationError({field: [message]})."""
    errors: dict[str, list[str]] = {}
    title, proposal, rationale = _text(title), _text(proposal), _text(rationale)
    if not title:
        errors["title"] = ["Give the consultation a title; it is published."]
    elif len(title) > TITLE_MAX_CHARS:
        errors["title"] = [f"Keep the title to {TITLE_MAX_CHARS} characters."]
    if not proposal:
        errors["proposal"] = ["Describe the proposed change in plain language; it is published."]
    if not rationale:
        errors["rationale"] = ["Explain why the change is proposed; it is published."]
    earliest = consultation_earliest_close(today=today)
    if closes_on is None:
        errors["closes_on"] = ["Give the closing date for comments."]
    elif closes_on < earliest:
        errors["closes_on"] = [
            f"A consultation stays open for at least {settings.CONSULTATION_MIN_DAYS} days: "
            f"the earliest closing date is {notice_day(earliest)}."
        ]
    if rule is not None and rule.status != Rule.Status.CURRENT:
        errors["rule"] = [
            f"Version {rule.version} of {rule.code} is no longer in force; choose the version "
            "in force."
        ]
    if errors:
        raise ValidationError(errors)
    return {
        "rule": rule,
        "title": title,
        "proposal": proposal,
        "rationale": rationale,
        "closes_on": closes_on,
    }


@transaction.atomic
def consultation_open(
    *,
    actor: User,
    rule: Rule | None,
    title: str,
    proposal: str,
    rationale: str,
    closes_on: datetime.date | None,
) -> Consultation:
    """Open a public consultation on a proposed change to `rule` (None: a new rule)."""
    if not actor.has_perm(OPEN_PERMISSION):
        raise PermissionDenied("Only policy admins may open consultations.")
    if rule is not None:
        rule = Rule.objects.select_for_update().get(pk=rule.pk)
    cleaned = consultation_open_clean(
        rule=rule,
        title=title,
        proposal=proposal,
        rationale=rationale,
        closes_on=closes_on,
        today=timezone.localdate(),
    )
    consultation = Consultation.objects.create(
        **cleaned, opened_at=timezone.now(), opened_by=actor, status=Consultation.Status.OPEN
    )
    audit_record(
        actor=actor,
        verb=Verb.CONSULTATION_OPENED,
        target=consultation,
        to_status=consultation.status,
        payload={
            "rule": str(rule) if rule is not None else None,
            "title": consultation.title,
            "closes_on": consultation.closes_on,
        },
    )
    if rule is not None:
        subject = f"A change to rule {rule.code} (“{rule.title}”, version {rule.version})"
    else:
        subject = "A new rule"
    notice_publish(
        kind=PublicNotice.Kind.CONSULTATION_OPENED,
        title=f"Consultation: {consultation.title}",
        summary=(
            f"{subject} is proposed for public comment: {consultation.proposal}\n\n"
            f"Comments are welcome until the end of {notice_day(consultation.closes_on)}."
        ),
        justification=consultation.rationale,
        actor=actor,
        rule=rule,
        consultation=consultation,
    )
    return consultation


# --- Comments -------------------------------------------------------------------------------


def consultation_comment_clean(
    *, author_name: str, organisation_name: str, email: str, body: str
) -> dict:
    """A comment's fields checked together; ValidationError({field: [message]})."""
    errors: dict[str, list[str]] = {}
    author_name, organisation_name = _text(author_name), _text(organisation_name)
    email, body = _text(email), _text(body)
    if not body:
        errors["body"] = ["Write your comment."]
    elif len(body) > COMMENT_MAX_CHARS:
        errors["body"] = [
            f"Keep your comment to {COMMENT_MAX_CHARS:,} characters (it has {len(body):,})."
        ]
    if len(author_name) > AUTHOR_MAX_CHARS:
        errors["author_name"] = [f"Keep your name to {AUTHOR_MAX_CHARS} characters."]
    if len(organisation_name) > ORGANISATION_MAX_CHARS:
        errors["organisation_name"] = [
            f"Keep the organisation's name to {ORGANISATION_MAX_CHARS} characters."
        ]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["Enter an email address like name@example.org, or leave it empty."]
    if errors:
        raise ValidationError(errors)
    return {
        "author_name": author_name,
        "organisation_name": organisation_name,
        "email": email,
        "body": body,
    }


@transaction.atomic
def consultation_comment_submit(
    *,
    consultation: Consultation,
    author_name: str,
    organisation_name: str,
    email: str,
    body: str,
    user: User | None = None,
) -> ConsultationComment:
    """Record a comment from anyone; it waits for moderation before it is published."""
    consultation = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("opened_by")
        .get(pk=consultation.pk)
    )
    if not consultation.accepts_comments(timezone.localdate()):
        if consultation.status == Consultation.Status.DECIDED:
            message = "This consultation has been decided; it no longer accepts comments."
        else:
            message = (
                f"This consultation closed on {notice_day(consultation.closes_on)}; it no longer "
                "accepts comments."
            )
        raise ValidationError(message)
    cleaned = consultation_comment_clean(
        author_name=author_name, organisation_name=organisation_name, email=email, body=body
    )
    if user is not None and not user.is_authenticated:
        user = None
    others_waiting = consultation.comments.filter(status=CommentStatus.PENDING).exists()
    comment = ConsultationComment.objects.create(
        consultation=consultation,
        **cleaned,
        user=user,
        submitted_at=timezone.now(),
        status=CommentStatus.PENDING,
    )
    audit_record(
        actor=user,
        verb=Verb.CONSULTATION_COMMENTED,
        target=comment,
        to_status=comment.status,
        # Never the email address: the log is read by more people than the moderators.
        payload={
            "consultation": consultation.pk,
            "author_name": comment.author_name,
            "organisation_name": comment.organisation_name,
            "characters": len(comment.body),
        },
    )
    if not others_waiting:  # one reminder per batch of comments awaiting moderation
        notification_send(
            recipient=consultation.opened_by,
            template=NOTIFICATION_TEMPLATE,
            context={"consultation": consultation},
            url=reverse("screening:consultation_detail", args=[consultation.pk]),
        )
    return comment


@transaction.atomic
def consultation_comment_moderate(
    *, actor: User, comment: ConsultationComment, publish: bool, reason: str = ""
) -> ConsultationComment:
    """Publish a pending comment, or reject it with a reason that is published in its place."""
    if not actor.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied("Only moderators may publish or reject comments.")
    comment = ConsultationComment.objects.select_for_update().get(pk=comment.pk)
    target = CommentStatus.PUBLISHED if publish else CommentStatus.REJECTED
    reason = _text(reason)
    if comment.status == target:
        return comment
    if comment.status != CommentStatus.PENDING:
        raise ValidationError(
            f"This comment was already moderated: {comment.get_status_display().lower()}."
        )
    if not publish and not reason:
        raise ValidationError(
            {"reason": ["Give the reason for not publishing; it is shown in place of the comment."]}
        )
    comment.status = target
    comment.moderated_by = actor
    comment.moderated_at = timezone.now()
    comment.moderation_reason = "" if publish else reason
    comment.save(update_fields=["status", "moderated_by", "moderated_at", "moderation_reason"])
    audit_record(
        actor=actor,
        verb=Verb.CONSULTATION_COMMENT_MODERATED,
        target=comment,
        from_status=CommentStatus.PENDING,
        to_status=comment.status,
        payload={"consultation": comment.consultation_id, "reason": comment.moderation_reason},
    )
    return comment


# --- The decision ---------------------------------------------------------------------------


def consultation_decide_clean(
    *,
    consultation: Consultation,
    outcome: str,
    response_summary: str,
    published: int,
    pending: int,
    today: datetime.date,
) -> dict:
    """The decision checked against the consultation; ValidationError({field: [message]})."""
    if consultation.status != Consultation.Status.OPEN:
        raise ValidationError("This consultation has already been decided.")
    if today <= consultation.closes_on:
        raise ValidationError(
            f"Comments are accepted until the end of {notice_day(consultation.closes_on)}; decide "
            "after the closing date."
        )
    if pending:
        raise ValidationError(
            f"{pending} comment{'s' if pending != 1 else ''} still await moderation: publish or "
            "reject each one before deciding."
        )
    errors: dict[str, list[str]] = {}
    response_summary = _text(response_summary)
    if outcome not in Outcome.values:
        errors["outcome"] = ["Choose proceed, proceed with changes or withdraw."]
    if not response_summary:
        errors["response_summary"] = [
            "Write the response summary: it is published with the decision."
        ]
    elif published and len(response_summary) < RESPONSE_MIN_CHARS:
        errors["response_summary"] = [
            f"The decision must answer the {published} comment{'s' if published != 1 else ''} "
            f"published: say what they raised and how the decision responds (at least "
            f"{RESPONSE_MIN_CHARS} characters)."
        ]
    if errors:
        raise ValidationError(errors)
    return {"outcome": outcome, "response_summary": response_summary}


@transaction.atomic
def consultation_decide(
    *, actor: User, consultation: Consultation, outcome: str, response_summary: str
) -> Consultation:
    """Decide a closed consultation, answering the comments received; a notice is published."""
    if not actor.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied("Only policy admins may decide consultations.")
    consultation = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("rule")
        .get(pk=consultation.pk)
    )
    counts = {
        status: consultation.comments.filter(status=status).count()
        for status in CommentStatus.values
    }
    cleaned = consultation_decide_clean(
        consultation=consultation,
        outcome=outcome,
        response_summary=response_summary,
        published=counts[CommentStatus.PUBLISHED],
        pending=counts[CommentStatus.PENDING],
        today=timezone.localdate(),
    )
    consultation.status = Consultation.Status.DECIDED
    consultation.outcome = cleaned["outcome"]
    consultation.response_summary = cleaned["response_summary"]
    consultation.decided_by = actor
    consultation.decided_at = timezone.now()
    consultation.save(
        update_fields=["status", "outcome", "response_summary", "decided_by", "decided_at"]
    )
    received = sum(counts.values())
    published = counts[CommentStatus.PUBLISHED]
    audit_record(
        actor=actor,
        verb=Verb.CONSULTATION_DECIDED,
        target=consultation,
        from_status=Consultation.Status.OPEN,
        to_status=consultation.status,
        payload={
            "outcome": consultation.outcome,
            "response_summary": consultation.response_summary,
            "comments_received": received,
            "comments_published": published,
            "rule": str(consultation.rule) if consultation.rule is not None else None,
        },
    )
    follow_up = ""
    if consultation.outcome != Outcome.WITHDRAW:
        follow_up = " The change itself will be published in its own notice when it is made."
    notice_publish(
        kind=PublicNotice.Kind.CONSULTATION_DECIDED,
        title=f"Consultation decided: {consultation.title}",
        summary=(
            f"The consultation closed on {notice_day(consultation.closes_on)}. Decision: "
            f"{consultation.get_outcome_display().lower()}. {received} "
            f"comment{'s' if received != 1 else ''} received, {published} published."
            f"{follow_up}"
        ),
        justification=consultation.response_summary,
        actor=actor,
        rule=consultation.rule,
        consultation=consultation,
    )
    return consultation

"""Sunset reviews of rule versions and control datasets: opening them ahead of the sunset,
deciding them, and the lapse of a subject whose sunset passes with no decision.

- `sunset_reviews_open_due` (daily): opens a review for every current rule version and active
  control dataset whose sunset falls within settings.SUNSET_REVIEW_LEAD_DAYS and that has not
  been reviewed for that sunset yet. A rule's owner is notified; for control data, which has
  no single owner, every policy admin is.
- `rules_lapse_due` and `control_datasets_lapse_due` (daily): a subject whose sunset has passed
  lapses (a rule already stops applying to new screenings the day after its sunset; a lapsed
  dataset is no longer applied, so checks that need it refer cases to an official); its open
  review lapses with it and a public notice is published.
- `sunset_review_decide`: renew (a new sunset date, within settings.SUNSET_RENEWAL_MAX_DAYS;
  the same version stays in force), retire (it stops applying), amend (the decision is
  recorded; the admin then saves the new rule version, or imports the new edition of the data,
  which publishes its own notice), or, for a pilot rule, promote it to live (through
  `pilot_promote`, which publishes the notice). Renew and retire publish a notice.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from exportgov.accounts.models import User
from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record
from exportgov.notifications.services import notification_send

from ..models import ControlDataset, PublicNotice, Rule, SunsetReview
from .notices import notice_day, notice_publish, notice_subject_name

Verb = AuditEvent.Verb
Decision = SunsetReview.Decision
Kind = PublicNotice.Kind
MANAGE_PERMISSION = "screening.manage_rules"
NOTIFICATION_TEMPLATE = "sunset_review_opened"


def subject_label(subject: Rule | ControlDataset) -> str:
    """How notices, notifications and pages name a review's subject."""
    if isinstance(subject, Rule):
        return f"rule {subject.code} version {subject.version} (“{subject.title}”)"
    return (
        f"the {subject.get_kind_display()} ({subject.citation}, issued "
        f"{notice_day(subject.issue_date)})"
    )


def decisions_allowed(review: SunsetReview) -> list[str]:
    """Renew, amend and retire for every subject; promote only for a pilot rule."""
    allowed = [Decision.RENEW, Decision.AMEND, Decision.RETIRE]
    if review.rule_id is not None and review.rule.is_pilot:
        allowed.append(Decision.PROMOTE)
    return allowed


# --- opening reviews -----------------------------------------------------------------------


def sunset_reviews_open_due(*, today: datetime.date | None = None) -> int:
    """Open a review for each rule version and dataset due for one; how many were opened."""
    today = today or timezone.localdate()
    window = {"sunset_on__gte": today, "sunset_on__lte": _horizon(today)}
    rule_ids = Rule.objects.filter(status=Rule.Status.CURRENT, **window).values_list(
        "pk", flat=True
    )
    dataset_ids = ControlDataset.objects.filter(
        status=ControlDataset.Status.ACTIVE, **window
    ).values_list("pk", flat=True)
    opened = [_rule_review_open(rule_id=pk, today=today) for pk in rule_ids]
    opened += [_dataset_review_open(dataset_id=pk, today=today) for pk in dataset_ids]
    return sum(1 for review in opened if review is not None)


def _horizon(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.SUNSET_REVIEW_LEAD_DAYS)


def _already_reviewed(subject: Rule | ControlDataset) -> bool:
    """An open review, or any review already held for the subject's present sunset date."""
    reviews = subject.sunset_reviews
    return (
        reviews.filter(status=SunsetReview.Status.OPEN).exists()
        or reviews.filter(due_on=subject.sunset_on).exists()
    )


@transaction.atomic
def _rule_review_open(*, rule_id: int, today: datetime.date) -> SunsetReview | None:
    rule = Rule.objects.select_for_update().select_related("owner").get(pk=rule_id)
    if rule.status != Rule.Status.CURRENT or _already_reviewed(rule):
        return None
    review = SunsetReview.objects.create(rule=rule, opened_on=today, due_on=rule.sunset_on)
    _review_opened(review=review, subject=rule, recipients=[rule.owner])
    return review


@transaction.atomic
def _dataset_review_open(*, dataset_id: int, today: datetime.date) -> SunsetReview | None:
    from ..selectors_rules import rule_owner_choices

    dataset = ControlDataset.objects.select_for_update().get(pk=dataset_id)
    if dataset.status != ControlDataset.Status.ACTIVE or _already_reviewed(dataset):
        return None
    review = SunsetReview.objects.create(
        control_dataset=dataset, opened_on=today, due_on=dataset.sunset_on
    )
    _review_opened(review=review, subject=dataset, recipients=list(rule_owner_choices()))
    return review


def _review_opened(
    *, review: SunsetReview, subject: Rule | ControlDataset, recipients: list[User]
) -> None:
    audit_record(
        actor=None,
        verb=Verb.SUNSET_REVIEW_OPENED,
        target=review,
        to_status=review.status,
        payload={"subject": str(subject), "due_on": review.due_on},
    )
    url = reverse("screening:sunset_review_detail", args=[review.pk])
    for recipient in recipients:
        notification_send(
            recipient=recipient,
            template=NOTIFICATION_TEMPLATE,
            context={"review": review, "subject": subject_label(subject)},
            url=url,
        )


# --- lapsing -------------------------------------------------------------------------------


def rules_lapse_due(*, today: datetime.date | None = None) -> int:
    """Lapse every current rule version whose sunset has passed; how many lapsed."""
    today = today or timezone.localdate()
    candidates = Rule.objects.filter(status=Rule.Status.CURRENT, sunset_on__lt=today).values_list(
        "pk", flat=True
    )
    return sum(1 for pk in candidates if _rule_lapse(rule_id=pk, today=today))


def control_datasets_lapse_due(*, today: datetime.date | None = None) -> int:
    """Lapse every active control dataset whose sunset has passed; how many lapsed."""
    today = today or timezone.localdate()
    candidates = ControlDataset.objects.filter(
        status=ControlDataset.Status.ACTIVE, sunset_on__lt=today
    ).values_list("pk", flat=True)
    return sum(1 for pk in candidates if _dataset_lapse(dataset_id=pk, today=today))


@transaction.atomic
def _rule_lapse(*, rule_id: int, today: datetime.date) -> bool:
    rule = Rule.objects.select_for_update().get(pk=rule_id)
    if rule.status != Rule.Status.CURRENT or rule.sunset_on >= today:
        return False
    _subject_lapse(
        rule,
        lapsed=Rule.Status.LAPSED,
        verb=Verb.RULE_LAPSED,
        kind=Kind.RULE_LAPSED,
        title=f"Rule lapsed: {rule.title}",
        summary=(
            f"{notice_subject_name(rule)} reached its sunset on {notice_day(rule.sunset_on)} "
            f"without being renewed: {_no_longer_applied(rule)}."
        ),
        justification=rule.public_justification,
        rule=rule,
    )
    return True


@transaction.atomic
def _dataset_lapse(*, dataset_id: int, today: datetime.date) -> bool:
    dataset = ControlDataset.objects.select_for_update().get(pk=dataset_id)
    if dataset.status != ControlDataset.Status.ACTIVE or dataset.sunset_on >= today:
        return False
    _subject_lapse(
        dataset,
        lapsed=ControlDataset.Status.LAPSED,
        verb=Verb.CONTROL_DATA_LAPSED,
        kind=Kind.CONTROL_DATA_LAPSED,
        title=f"Control data lapsed: {dataset.get_kind_display()}",
        summary=(
            f"{notice_subject_name(dataset)} reached its sunset on {notice_day(dataset.sunset_on)} "
            f"without being renewed: {_no_longer_applied(dataset)}."
        ),
        justification=dataset.justification,
        control_dataset=dataset,
    )
    return True


def _subject_lapse(
    subject: Rule | ControlDataset,
    *,
    lapsed: str,
    verb: str,
    kind: str,
    title: str,
    summary: str,
    justification: str,
    **subject_field,
) -> None:
    """The lapse of a locked rule version or dataset: its status, its open reviews, the audit
    record and the public notice. `subject_field` names it (rule= or control_dataset=)."""
    old_status = subject.status
    subject.status = lapsed
    subject.save(update_fields=["status"])
    reviews = list(
        SunsetReview.objects.select_for_update().filter(
            status=SunsetReview.Status.OPEN, **subject_field
        )
    )
    for review in reviews:
        review.status = SunsetReview.Status.LAPSED
        review.save(update_fields=["status"])
    audit_record(
        actor=None,
        verb=verb,
        target=subject,
        from_status=old_status,
        to_status=lapsed,
        payload={"sunset_on": subject.sunset_on, "reviews_lapsed": [r.pk for r in reviews]},
    )
    notice_publish(
        kind=kind, title=title, summary=summary, justification=justification, **subject_field
    )


# --- deciding ------------------------------------------------------------------------------


def renewal_sunset_latest(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.SUNSET_RENEWAL_MAX_DAYS)


def renewal_sunset_problem(*, sunset: datetime.date, today: datetime.date) -> str | None:
    """What is wrong with a renewed (or promoted) version's sunset date, if anything: it must
    fall after today and within settings.SUNSET_RENEWAL_MAX_DAYS."""
    latest = renewal_sunset_latest(today)
    if sunset <= today:
        return "The new sunset date must be after today."
    if sunset > latest:
        return (
            f"A sunset date may be at most {settings.SUNSET_RENEWAL_MAX_DAYS} days ahead: "
            f"the latest sunset date is {notice_day(latest)}."
        )
    return None


def sunset_review_clean(
    *,
    decision: str,
    justification: str,
    new_sunset_on: datetime.date | None,
    today: datetime.date,
    allowed: list[str] | None = None,
) -> dict:
    """The decision's fields checked together; ValidationError({field: [message]}).

    A renewal needs a new sunset date; a promotion may give one (else the pilot's stays)."""
    allowed = allowed or [Decision.RENEW, Decision.AMEND, Decision.RETIRE]
    errors: dict[str, list[str]] = {}
    if decision not in allowed:
        names = ", ".join(Decision(choice).label.lower() for choice in allowed)
        errors["decision"] = [f"Choose one of: {names}."]
    if not (justification or "").strip():
        errors["justification"] = ["Give a written justification; it is published."]
    if decision == Decision.RENEW and new_sunset_on is None:
        errors["new_sunset_on"] = ["Give the new sunset date of the renewed rule."]
    elif decision in (Decision.RENEW, Decision.PROMOTE) and new_sunset_on is not None:
        problem = renewal_sunset_problem(sunset=new_sunset_on, today=today)
        if problem:
            errors["new_sunset_on"] = [problem]
    if errors:
        raise ValidationError(errors)
    keeps_date = decision in (Decision.RENEW, Decision.PROMOTE)
    return {
        "decision": decision,
        "justification": justification.strip(),
        "new_sunset_on": new_sunset_on if keeps_date else None,
    }


@transaction.atomic
def sunset_review_decide(
    *,
    actor: User,
    review: SunsetReview,
    decision: str,
    justification: str,
    new_sunset_on: datetime.date | None = None,
) -> SunsetReview:
    """Decide an open review: renew, amend or retire its subject, or promote a pilot rule."""
    if not actor.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied("Only policy admins may decide sunset reviews.")
    today = timezone.localdate()
    review = (
        SunsetReview.objects.select_for_update(of=("self",))
        .select_related("rule")
        .get(pk=review.pk)
    )
    if review.status != SunsetReview.Status.OPEN:
        raise ValidationError({"decision": ["This review is no longer open."]})
    cleaned = sunset_review_clean(
        decision=decision,
        justification=justification,
        new_sunset_on=new_sunset_on,
        today=today,
        allowed=decisions_allowed(review),
    )
    review.status = SunsetReview.Status.DECIDED
    review.decision = cleaned["decision"]
    review.justification = cleaned["justification"]
    review.new_sunset_on = cleaned["new_sunset_on"]
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.save()
    if review.rule_id is not None:
        changes = _rule_decision_apply(actor=actor, review=review)
    else:
        changes = _dataset_decision_apply(actor=actor, review=review)
    audit_record(
        actor=actor,
        verb=Verb.SUNSET_REVIEW_DECIDED,
        target=review,
        from_status=SunsetReview.Status.OPEN,
        to_status=review.decision,
        payload={
            "subject": str(review.subject),
            "justification": review.justification,
            **changes,
        },
    )
    return review


def _rule_decision_apply(*, actor: User, review: SunsetReview) -> dict:
    """Carry out the decision on the rule version; the changes, for the audit record."""
    rule = Rule.objects.select_for_update().get(pk=review.rule_id)
    if rule.status != Rule.Status.CURRENT:
        raise ValidationError(
            {"decision": [f"Version {rule.version} of {rule.code} is no longer in force."]}
        )
    old_sunset, old_status = rule.sunset_on, rule.status
    changes = {}
    if review.decision == Decision.PROMOTE:
        from .rules import pilot_promote

        live = pilot_promote(
            actor=actor,
            pilot=rule,
            justification=review.justification,
            sunset_on=review.new_sunset_on,
        )
        changes["promoted_to"] = str(live)
        rule.refresh_from_db()
    elif review.decision == Decision.RENEW:
        rule.sunset_on = review.new_sunset_on
        rule.save(update_fields=["sunset_on"])
        _notice(
            Kind.RULE_RENEWED,
            f"Rule renewed: {rule.title}",
            _renewed_summary(rule, old_sunset=old_sunset),
            review=review,
            actor=actor,
            rule=rule,
        )
    elif review.decision == Decision.RETIRE:
        rule.status = Rule.Status.RETIRED
        rule.save(update_fields=["status"])
        _notice(
            Kind.RULE_RETIRED,
            f"Rule retired: {rule.title}",
            _retired_summary(rule),
            review=review,
            actor=actor,
            rule=rule,
        )
    return {
        **changes,
        "sunset_on": {"from": old_sunset, "to": rule.sunset_on},
        "status": {"from": old_status, "to": rule.status},
    }


def _dataset_decision_apply(*, actor: User, review: SunsetReview) -> dict:
    """Carry out the decision on the control dataset; the changes, for the audit record."""
    dataset = ControlDataset.objects.select_for_update().get(pk=review.control_dataset_id)
    if dataset.status != ControlDataset.Status.ACTIVE:
        raise ValidationError({"decision": [f"{dataset} is no longer applied."]})
    old_sunset, old_status = dataset.sunset_on, dataset.status
    name = dataset.get_kind_display()
    if review.decision == Decision.RENEW:
        dataset.sunset_on = review.new_sunset_on
        dataset.save(update_fields=["sunset_on"])
        _notice(
            Kind.CONTROL_DATA_RENEWED,
            f"Control data renewed: {name}",
            _renewed_summary(dataset, old_sunset=old_sunset),
            review=review,
            actor=actor,
            control_dataset=dataset,
        )
    elif review.decision == Decision.RETIRE:
        dataset.status = ControlDataset.Status.RETIRED
        dataset.save(update_fields=["status"])
        _notice(
            Kind.CONTROL_DATA_RETIRED,
            f"Control data retired: {name}",
            _retired_summary(dataset),
            review=review,
            actor=actor,
            control_dataset=dataset,
        )
    return {
        "sunset_on": {"from": old_sunset, "to": dataset.sunset_on},
        "status": {"from": old_status, "to": dataset.status},
    }


def _no_longer_applied(subject: Rule | ControlDataset) -> str:
    """What a lapse or retirement means for screening, as a notice says it."""
    if isinstance(subject, Rule):
        return "it no longer applies to new screenings"
    return "it is no longer applied, and checks that need it refer cases to an official"


def _renewed_summary(subject: Rule | ControlDataset, *, old_sunset: datetime.date) -> str:
    return (
        f"{notice_subject_name(subject)} was reviewed and renewed: it now applies until "
        f"{notice_day(subject.sunset_on)} (previously {notice_day(old_sunset)})."
    )


def _retired_summary(subject: Rule | ControlDataset) -> str:
    return (
        f"{notice_subject_name(subject)} was reviewed and retired: {_no_longer_applied(subject)}."
    )


def _notice(kind: str, title: str, summary: str, *, review: SunsetReview, **subject) -> None:
    notice_publish(
        kind=kind, title=title, summary=summary, justification=review.justification, **subject
    )

"""Sunset reviews of rule versions: opening them ahead of the sunset, deciding them, and the
lapse of a version whose sunset passes with no decision.

- `sunset_reviews_open_due` (daily): opens a review for every current rule version whose
  sunset falls within settings.SUNSET_REVIEW_LEAD_DAYS and that has not been reviewed for that
  sunset yet; the rule's owner is notified.
- `rules_lapse_due` (daily): a current version whose sunset has passed lapses (it already stops
  applying to new screenings the day after its sunset); its open review lapses with it and a
  public notice is published.
- `sunset_review_decide`: renew (a new sunset date, within settings.SUNSET_RENEWAL_MAX_DAYS;
  the same version stays in force), retire (the version stops applying), or amend (the decision
  is recorded; the admin then saves the new version on the rule's edit page, which publishes
  its own notice). Renew and retire publish a notice.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from exportgov.accounts.models import User
from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record
from exportgov.notifications.services import notification_send

from ..models import PublicNotice, Rule, SunsetReview
from .notices import notice_publish

Verb = AuditEvent.Verb
Decision = SunsetReview.Decision
MANAGE_PERMISSION = "screening.manage_rules"
NOTIFICATION_TEMPLATE = "sunset_review_opened"


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _already_reviewed(rule: Rule) -> bool:
    """An open review, or any review already held for the rule's present sunset date."""
    return (
        rule.sunset_reviews.filter(status=SunsetReview.Status.OPEN).exists()
        or rule.sunset_reviews.filter(due_on=rule.sunset_on).exists()
    )


def sunset_reviews_open_due(*, today: datetime.date | None = None) -> int:
    """Open a review for each current rule version due for one; how many were opened."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.SUNSET_REVIEW_LEAD_DAYS)
    candidates = Rule.objects.filter(
        status=Rule.Status.CURRENT, sunset_on__gte=today, sunset_on__lte=horizon
    ).values_list("pk", flat=True)
    return sum(1 for pk in candidates if _review_open(rule_id=pk, today=today) is not None)


@transaction.atomic
def _review_open(*, rule_id: int, today: datetime.date) -> SunsetReview | None:
    rule = Rule.objects.select_for_update().select_related("owner").get(pk=rule_id)
    if rule.status != Rule.Status.CURRENT or _already_reviewed(rule):
        return None
    review = SunsetReview.objects.create(rule=rule, opened_on=today, due_on=rule.sunset_on)
    audit_record(
        actor=None,
        verb=Verb.SUNSET_REVIEW_OPENED,
        target=review,
        to_status=review.status,
        payload={"rule": str(rule), "due_on": review.due_on},
    )
    notification_send(
        recipient=rule.owner,
        template=NOTIFICATION_TEMPLATE,
        context={"review": review, "rule": rule},
        url=reverse("screening:sunset_review_detail", args=[review.pk]),
    )
    return review


def rules_lapse_due(*, today: datetime.date | None = None) -> int:
    """Lapse every current rule version whose sunset has passed; how many lapsed."""
    today = today or timezone.localdate()
    candidates = Rule.objects.filter(status=Rule.Status.CURRENT, sunset_on__lt=today).values_list(
        "pk", flat=True
    )
    return sum(1 for pk in candidates if _rule_lapse(rule_id=pk, today=today))


@transaction.atomic
def _rule_lapse(*, rule_id: int, today: datetime.date) -> bool:
    rule = Rule.objects.select_for_update().get(pk=rule_id)
    if rule.status != Rule.Status.CURRENT or rule.sunset_on >= today:
        return False
    rule.status = Rule.Status.LAPSED
    rule.save(update_fields=["status"])
    reviews = list(
        SunsetReview.objects.select_for_update().filter(rule=rule, status=SunsetReview.Status.OPEN)
    )
    for review in reviews:
        review.status = SunsetReview.Status.LAPSED
        review.save(update_fields=["status"])
    audit_record(
        actor=None,
        verb=Verb.RULE_LAPSED,
        target=rule,
        from_status=Rule.Status.CURRENT,
        to_status=Rule.Status.LAPSED,
        payload={"sunset_on": rule.sunset_on, "reviews_lapsed": [r.pk for r in reviews]},
    )
    notice_publish(
        kind=PublicNotice.Kind.RULE_LAPSED,
        title=f"Rule lapsed: {rule.title}",
        summary=(
            f"Version {rule.version} of rule {rule.code} ({rule.get_kind_display()}) reached "
            f"its sunset on {_day(rule.sunset_on)} without being renewed and no longer applies "
            "to new screenings."
        ),
        justification=rule.public_justification,
        rule=rule,
    )
    return True


def sunset_review_clean(
    *,
    decision: str,
    justification: str,
    new_sunset_on: datetime.date | None,
    today: datetime.date,
) -> dict:
    """The decision's fields checked together; ValidationError({field: [message]})."""
    errors: dict[str, list[str]] = {}
    if decision not in Decision.values:
        errors["decision"] = ["Choose renew, amend or retire."]
    if not (justification or "").strip():
        errors["justification"] = ["Give a written justification; it is published."]
    if decision == Decision.RENEW:
        latest = today + datetime.timedelta(days=settings.SUNSET_RENEWAL_MAX_DAYS)
        if new_sunset_on is None:
            errors["new_sunset_on"] = ["Give the new sunset date of the renewed rule."]
        elif new_sunset_on <= today:
            errors["new_sunset_on"] = ["The new sunset date must be after today."]
        elif new_sunset_on > latest:
            errors["new_sunset_on"] = [
                f"A rule may be renewed for at most {settings.SUNSET_RENEWAL_MAX_DAYS} days: "
                f"the latest sunset date is {_day(latest)}."
            ]
    if errors:
        raise ValidationError(errors)
    return {
        "decision": decision,
        "justification": justification.strip(),
        "new_sunset_on": new_sunset_on if decision == Decision.RENEW else None,
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
    """Decide an open review: renew, amend or retire the rule version under review."""
    if not actor.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied("Only policy admins may decide sunset reviews.")
    today = timezone.localdate()
    review = SunsetReview.objects.select_for_update().get(pk=review.pk)
    rule = Rule.objects.select_for_update().get(pk=review.rule_id)
    if review.status != SunsetReview.Status.OPEN:
        raise ValidationError({"decision": ["This review is no longer open."]})
    if rule.status != Rule.Status.CURRENT:
        raise ValidationError(
            {"decision": [f"Version {rule.version} of {rule.code} is no longer in force."]}
        )
    cleaned = sunset_review_clean(
        decision=decision, justification=justification, new_sunset_on=new_sunset_on, today=today
    )
    old_sunset, old_status = rule.sunset_on, rule.status
    review.status = SunsetReview.Status.DECIDED
    review.decision = cleaned["decision"]
    review.justification = cleaned["justification"]
    review.new_sunset_on = cleaned["new_sunset_on"]
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.save()
    if review.decision == Decision.RENEW:
        rule.sunset_on = review.new_sunset_on
        rule.save(update_fields=["sunset_on"])
    elif review.decision == Decision.RETIRE:
        rule.status = Rule.Status.RETIRED
        rule.save(update_fields=["status"])
    audit_record(
        actor=actor,
        verb=Verb.SUNSET_REVIEW_DECIDED,
        target=review,
        from_status=SunsetReview.Status.OPEN,
        to_status=review.decision,
        payload={
            "rule": str(rule),
            "justification": review.justification,
            "sunset_on": {"from": old_sunset, "to": rule.sunset_on},
            "rule_status": {"from": old_status, "to": rule.status},
        },
    )
    if review.decision == Decision.RENEW:
        notice_publish(
            kind=PublicNotice.Kind.RULE_RENEWED,
            title=f"Rule renewed: {rule.title}",
            summary=(
                f"Version {rule.version} of rule {rule.code} ({rule.get_kind_display()}) was "
                f"reviewed and renewed: it now applies until {_day(rule.sunset_on)} "
                f"(previously {_day(old_sunset)})."
            ),
            justification=review.justification,
            actor=actor,
            rule=rule,
        )
    elif review.decision == Decision.RETIRE:
        notice_publish(
            kind=PublicNotice.Kind.RULE_RETIRED,
            title=f"Rule retired: {rule.title}",
            summary=(
                f"Version {rule.version} of rule {rule.code} ({rule.get_kind_display()}) was "
                "reviewed and retired: it no longer applies to new screenings."
            ),
            justification=review.justification,
            actor=actor,
            rule=rule,
        )
    return review

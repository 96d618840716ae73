"""Publishing public notices of changes, and users' opt-in to have them emailed.

`notice_publish` writes a notice (title, summary, public justification) in the caller's
transaction and audits it; once the transaction commits, a task emails every active subscriber
(with no subscriber, nothing is queued).
The `*_notice_publish` helpers turn a rule version, a list version or a control dataset into
its notice, using only published fields: never a rule's weight, parameters or owner.
"""

from __future__ import annotations

import datetime

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from exportgov.accounts.models import User
from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record
from exportgov.notifications.services import email_message

from ..models import (
    Consultation,
    ControlDataset,
    ListVersion,
    NoticeSubscription,
    PublicNotice,
    Rule,
)

Kind = PublicNotice.Kind
EMAIL_TEMPLATE = "public_notice"


@transaction.atomic
def notice_publish(
    *,
    kind: str,
    title: str,
    summary: str,
    justification: str,
    actor: User | None = None,
    rule: Rule | None = None,
    list_version: ListVersion | None = None,
    control_dataset: ControlDataset | None = None,
    consultation: Consultation | None = None,
) -> PublicNotice:
    """Publish one notice; subscribers are emailed after the commit. `actor` None is the
    system."""
    if kind not in Kind.values:
        raise ValueError(f"Unknown notice kind {kind!r}.")
    notice = PublicNotice.objects.create(
        kind=kind,
        title=title.strip()[:300],
        summary=summary.strip(),
        justification=justification.strip(),
        published_at=timezone.now(),
        rule=rule,
        list_version=list_version,
        control_dataset=control_dataset,
        consultation=consultation,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.NOTICE_PUBLISHED,
        target=notice,
        payload={
            "kind": notice.kind,
            "title": notice.title,
            "rule": str(rule) if rule is not None else None,
            "list_version": list_version.pk if list_version is not None else None,
            "control_dataset": control_dataset.pk if control_dataset is not None else None,
            "consultation": consultation.pk if consultation is not None else None,
        },
    )
    notice_email_subscribers(notice=notice)
    from .affected import notice_affected_notify_queue  # exporters of affected open cases

    notice_affected_notify_queue(notice=notice)
    return notice


def _subscribers() -> QuerySet[NoticeSubscription]:
    return (
        NoticeSubscription.objects.filter(active=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )


def notice_email_subscribers(*, notice: PublicNotice) -> bool:
    """Queue the emailing of the notice to its subscribers for after the commit (a rolled-back
    change announces nothing, and however many subscribe, the publishing request does not wait
    for their emails); whether it was queued (not when nobody subscribes)."""
    from ..tasks import notice_email_subscribers as notice_email_subscribers_task

    if not _subscribers().exists():
        return False
    notice_email_subscribers_task.delay_on_commit(notice.pk)
    return True


def notice_subscribers_email(*, notice_id: int) -> int:
    """Email the notice to every active subscriber over one connection (run by the task);
    how many emails were sent."""
    notice = PublicNotice.objects.get(pk=notice_id)
    url = reverse("controls:notice_list")
    messages = [
        email_message(
            to=subscription.user.email,
            template=EMAIL_TEMPLATE,
            context={"notice": notice, "recipient": subscription.user, "url": url},
        )
        for subscription in _subscribers()
    ]
    return get_connection().send_messages(messages) or 0


@transaction.atomic
def notice_subscription_set(*, actor: User, active: bool) -> NoticeSubscription:
    """Turn the actor's notice emails on or off; a call that changes nothing writes nothing."""
    subscription, created = NoticeSubscription.objects.select_for_update().get_or_create(
        user=actor, defaults={"active": active}
    )
    if not created:
        if subscription.active == active:
            return subscription
        subscription.active = active
        subscription.save(update_fields=["active", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.NOTICE_SUBSCRIPTION_CHANGED,
        target=subscription,
        to_status="subscribed" if active else "unsubscribed",
    )
    return subscription


# --- notices for the changes other services make -----------------------------------------


def notice_day(value: datetime.date | None) -> str:
    """A date as every published text writes it ("4 May 2026")."""
    return date_format(value, "j F Y") if value else "no date given"


def notice_subject_name(subject: Rule | ControlDataset) -> str:
    """How a notice's summary names the rule version or control dataset it is about, at the
    start of a sentence."""
    if isinstance(subject, Rule):
        return f"Version {subject.version} of rule {subject.code} ({subject.get_kind_display()})"
    return (
        f"The {subject.get_kind_display()} ({subject.citation}, issued "
        f"{notice_day(subject.issue_date)})"
    )


def rule_notice_publish(*, rule: Rule, actor: User | None) -> PublicNotice:
    """The notice of a new rule or a new version of one (a pilot's is `pilot_started`)."""
    if rule.is_pilot:
        kind = Kind.PILOT_STARTED
    elif rule.version == 1:
        kind = Kind.RULE_CREATED
    else:
        kind = Kind.RULE_AMENDED
    what = {
        Kind.PILOT_STARTED: "starts as a pilot: it is checked alongside the live rules but "
        "counts towards no decision",
        Kind.RULE_CREATED: "is a new rule",
        Kind.RULE_AMENDED: "amends the rule",
    }[kind]
    summary = (
        f"{notice_subject_name(rule)} {what}. In force from {notice_day(rule.effective_from)}; "
        f"to be reviewed by {notice_day(rule.sunset_on)}."
    )
    justification = rule.public_justification
    if rule.change_reason:
        justification = f"Reason for the change: {rule.change_reason}\n\n{justification}"
    return notice_publish(
        kind=kind,
        title=f"{Kind(kind).label}: {rule.title}",
        summary=summary,
        justification=justification,
        actor=actor,
        rule=rule,
    )


def list_version_notice_publish(*, version: ListVersion, actor: User | None) -> PublicNotice:
    """The notice that a new version of a restricted-party list is now applied."""
    source = version.source
    summary = (
        f"Screening now uses the version of {source.name} published on "
        f"{notice_day(version.publisher_date)}: {version.entry_count} entries "
        f"({version.added_count} added, {version.removed_count} removed, "
        f"{version.changed_count} changed since the previous version)."
    )
    return notice_publish(
        kind=Kind.LIST_VERSION,
        title=f"New version of {source.name}",
        summary=summary,
        justification=f"Published by {source.publisher} on {notice_day(version.publisher_date)}.",
        actor=actor,
        list_version=version,
    )


def control_dataset_notice_publish(*, dataset: ControlDataset, actor: User | None) -> PublicNotice:
    """The notice that a new edition of control data is now applied."""
    summary = (
        f"Screening now uses the {dataset.get_kind_display()} ({dataset.citation}) as issued "
        f"on {notice_day(dataset.issue_date)}: {dataset.row_count} rows."
    )
    justification = dataset.justification or (
        f"The edition of {dataset.citation} issued on {notice_day(dataset.issue_date)}"
        + (f", published at {dataset.source_url}." if dataset.source_url else ".")
    )
    return notice_publish(
        kind=Kind.CONTROL_DATA,
        title=f"New edition of the {dataset.get_kind_display()}",
        summary=summary,
        justification=justification,
        actor=actor,
        control_dataset=dataset,
    )

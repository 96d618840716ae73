"""Telling exporters that a published change touches one of their open cases (issue 7, point 6).

`notice_publish` calls `notice_affected_notify_queue`: when the notice touches an open case,
the `notice_affected_notify` task is queued for after the commit (otherwise nothing is queued,
so a rolled-back change notifies nobody and most notices cost one query). The task works out
again which open cases the change touches (`notice_affected_cases`) and notifies the exporter
side of each, once per notice.

Which cases a change touches. "Open" is `OPEN_CASE_STATUSES` of the re-screening pipeline:
submitted, screened and not yet decided or withdrawn (a case still being screened has no flags
to go on, and its screening uses the new data anyway). Only live flags count, whatever an
official made of them (pending, confirmed or dismissed): a pilot's shadow flags count towards
no decision, so a change to them affects no case.

- A rule notice (new rule, amendment, renewal, retirement, lapse, pilot promoted): the open
  cases with a live flag raised by any version of the same rule code. A `pilot_started` notice
  touches none: a pilot counts towards no decision.
- A new list version: the open cases with a live party-match flag whose evidence names that
  list (its source code, as `screening.checks.party` records it).
- Control data (a new edition, its renewal, retirement or lapse): the open cases with a live
  flag of a `licence_requirement` rule, the only kind that reads the control lists.
- A consultation notice: none. A consultation concerns a proposal, not yet a change.

A rule or list version is only compared with the flags that exist when the task runs: a new
rule's own re-screen raises its flags later, and those cases are seen by the officials working
them.

What an exporter is told is public: the notice's title and summary, a link to the public
notices and a link to their case. Never a rule's weight or parameters, nor a flag's evidence.
The task is idempotent: one AFFECTED_EXPORTERS_NOTIFIED audit event per notice records the
cases notified, and a notice that has one is not notified again.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse

from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record
from licensing.models import Application
from licensing.services.notify import notify_applicant

from ..models import Flag, PublicNotice, Rule
from .runs import OPEN_CASE_STATUSES

Kind = PublicNotice.Kind
NOTIFICATION_TEMPLATE = "notice_affects_case"

NO_CASES_KINDS = (Kind.PILOT_STARTED, Kind.CONSULTATION_OPENED, Kind.CONSULTATION_DECIDED)
CONTROL_DATA_KINDS = (
    Kind.CONTROL_DATA,
    Kind.CONTROL_DATA_RENEWED,
    Kind.CONTROL_DATA_RETIRED,
    Kind.CONTROL_DATA_LAPSED,
)


def _live_flags_touched(notice: PublicNotice) -> QuerySet[Flag] | None:
    """The live flags that the notice's change bears on; None when it bears on no case."""
    if notice.kind in NO_CASES_KINDS or notice.consultation_id is not None:
        return None
    live = Flag.objects.filter(shadow=False)
    if notice.rule_id is not None:
        return live.filter(rule__code=notice.rule.code)
    if notice.list_version_id is not None:
        source = notice.list_version.source
        return live.filter(rule__kind=Rule.Kind.PARTY_MATCH).filter(
            Q(evidence__list=source.code) | Q(list_version__source=source)
        )
    if notice.control_dataset_id is not None or notice.kind in CONTROL_DATA_KINDS:
        return live.filter(rule__kind=Rule.Kind.LICENCE_REQUIREMENT)
    return None


def notice_affected_cases(*, notice: PublicNotice) -> QuerySet[Application]:
    """The open cases that the notice's change touches (see the module docstring), by id."""
    flags = _live_flags_touched(notice)
    if flags is None:
        return Application.objects.none()
    return Application.objects.filter(
        status__in=OPEN_CASE_STATUSES, pk__in=flags.values("application_id")
    ).order_by("pk")


def notice_affected_notify_queue(*, notice: PublicNotice) -> bool:
    """Queue `notice_affected_notify` for after the commit when the notice touches an open
    case now; whether it was queued. (A notice touching no case queues nothing.)"""
    from ..tasks import notice_affected_notify as notice_affected_notify_task

    if not notice_affected_cases(notice=notice).exists():
        return False
    notice_affected_notify_task.delay_on_commit(notice.pk)
    return True


def _already_notified(notice: PublicNotice) -> bool:
    return AuditEvent.objects.filter(
        verb=AuditEvent.Verb.AFFECTED_EXPORTERS_NOTIFIED,
        target_type=notice._meta.label_lower,
        target_id=str(notice.pk),
    ).exists()


@transaction.atomic
def notice_affected_notify(*, notice_id: int) -> int:
    """Notify the exporter side of each open case the notice touches, once per notice; how
    many cases were notified (0 for a notice already handled or touching no case)."""
    notice = PublicNotice.objects.select_for_update().get(pk=notice_id)
    if _already_notified(notice):
        return 0
    cases = list(notice_affected_cases(notice=notice).select_related("organisation", "created_by"))
    if not cases:
        return 0
    notice_url = reverse("controls:notice_detail", args=[notice.pk])
    for application in cases:
        notify_applicant(
            application=application,
            template=NOTIFICATION_TEMPLATE,
            context={"notice": notice, "notice_url": notice_url},
        )
    audit_record(
        actor=None,
        verb=AuditEvent.Verb.AFFECTED_EXPORTERS_NOTIFIED,
        target=notice,
        payload={
            "kind": notice.kind,
            "cases": [application.pk for application in cases],
            "references": [application.reference for application in cases],
        },
    )
    return len(cases)

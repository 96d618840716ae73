"""The flagging pipeline: screening runs, their flags, the stuck-run sweeper and re-screening.

How a run goes (DESIGN.md, "Machine-assisted flagging"; issue 5, points 6-8):

1. `screening_run_request` creates a queued run and queues `screen_application` on commit.
2. The task calls `screening_run_execute`, which is idempotent: a finished run is left alone;
   otherwise the run is marked running (committed, so the sweeper sees it), every rule in
   force is checked outside any long lock, and one short transaction replaces whatever flags
   the run wrote before (a task redelivered after a crash), stores the new ones, records the
   rule, list and control data versions used, the risk score and tier, and routes the case.
3. A task that fails for good calls `screening_run_fail`: the run is failed and the case goes
   to `screening_failed`, where officials see it and `screening_retry` queues a new run.
4. Beat runs `screening_sweep_stuck` every minute: a run queued or running for longer than
   settings.SCREENING_STUCK_AFTER_SECONDS is queued again, and after
   settings.SCREENING_MAX_ATTEMPTS starts it is failed for good.
5. `rescreen_start` re-screens every open case and active licence in the background when a
   list or rule version comes into force; a re-screen raises flags only for hits the
   application has never been flagged for, and raises (never lowers) the case's risk tier.

Flag fingerprints are `<rule code>:<hit fingerprint>` for live rules and
`pilot:<rule code>:<hit fingerprint>` for pilot rules, so a pilot version and the live version
of the same rule can both flag the same subject, and a promoted pilot raises a live flag.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from exportgov.accounts.models import User
from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record
from licensing.models import Application, Licence, Tier
from licensing.permissions import require_reviewer
from licensing.services import notify
from licensing.services._transitions import locked, transition
from licensing.services.cases import (
    case_fail_screening,
    case_route_to_triage,
    licensing_officers,
)

from ..models import ControlDataset, Flag, ListVersion, RescreenBatch, Rule, ScreeningRun

logger = logging.getLogger(__name__)
Verb = AuditEvent.Verb
Run = ScreeningRun
AppStatus = Application.Status

# Cases a re-screen covers (besides active licences): submitted, screened and not yet decided.
OPEN_CASE_STATUSES = (
    AppStatus.TRIAGE,
    AppStatus.UNDER_REVIEW,
    AppStatus.INFO_REQUESTED,
    AppStatus.IN_CONSULTATION,
    AppStatus.RECOMMENDED,
)
# Runs whose result routes the case from `screening` to triage.
ROUTING_TRIGGERS = (Run.Trigger.SUBMISSION, Run.Trigger.AMENDMENT, Run.Trigger.RETRY)
TIER_RANK = {"": 0, Tier.LOW: 1, Tier.MEDIUM: 2, Tier.HIGH: 3}
DISPATCH_CHUNK = 500
# Celery priority of re-screen tasks. On Redis a lower number is served first; the default
# (no priority) is served before 9, so new submissions overtake a re-screen backlog.
RESCREEN_PRIORITY = 9
ERROR_MAX_CHARS = 2000


# --- Requesting and executing a run ------------------------------------------------------


@transaction.atomic
def screening_run_request(
    *,
    application: Application,
    trigger: str,
    batch: RescreenBatch | None = None,
    licence: Licence | None = None,
) -> ScreeningRun:
    """Create a queued run and queue its task once the caller's transaction commits."""
    run = ScreeningRun.objects.create(
        application=application,
        licence=licence,
        batch=batch,
        trigger=trigger,
        queued_at=timezone.now(),
    )
    screening_run_enqueue(run=run)
    return run


def screening_run_enqueue(*, run: ScreeningRun) -> None:
    """Queue the run's task once the caller's transaction commits. A re-screen goes in at
    RESCREEN_PRIORITY: the broker hands a queue's higher-priority messages out first, so a
    batch of thousands of re-screens never holds up an exporter's new submission."""
    from ..tasks import screen_application as screen_application_task

    priority = RESCREEN_PRIORITY if run.trigger == Run.Trigger.RESCREEN else None
    screen_application_task.apply_async_on_commit((run.pk,), priority=priority)


def screening_run_execute(*, run_id: int) -> ScreeningRun:
    """Screen the run's application against every rule in force and store the result.

    Idempotent: a finished run is returned unchanged, and a run redelivered after a crash
    replaces the flags it had written, so no flag is ever stored twice.
    """
    from .. import checks

    run = _run_start(run_id)
    if run.is_finished:
        return run
    rules = list(checks.rules_in_force(on=timezone.localdate()))
    hits = []
    if rules:
        context = checks.context_build(application=run.application)
        for rule in rules:
            hits.extend((rule, hit) for hit in checks.check_run(rule=rule, context=context))
    return _run_finish(run_id, rules=rules, hits=hits)


@transaction.atomic
def _run_start(run_id: int) -> ScreeningRun:
    run = (
        ScreeningRun.objects.select_for_update(of=("self",))
        .select_related("application")
        .get(pk=run_id)
    )
    if run.is_finished:
        return run
    run.status = Run.Status.RUNNING
    run.attempts += 1
    run.started_at = timezone.now()
    run.save(update_fields=["status", "attempts", "started_at"])
    return run


@transaction.atomic
def _run_finish(run_id: int, *, rules: list[Rule], hits: list) -> ScreeningRun:
    run = (
        ScreeningRun.objects.select_for_update(of=("self",))
        .select_related("application", "licence")
        .get(pk=run_id)
    )
    if run.is_finished:  # another delivery of the same task finished it meanwhile
        return run
    application = run.application
    # A redelivered task: whatever an earlier, interrupted attempt wrote is replaced.
    Flag.objects.filter(run=run).delete()

    lists = list(
        ListVersion.objects.filter(status=ListVersion.Status.ACTIVE).select_related("source")
    )
    controls = list(ControlDataset.objects.filter(status=ControlDataset.Status.ACTIVE))
    data_versions = {
        "lists": {version.source.code: version.pk for version in lists},
        "controls": {dataset.kind: dataset.version_label for dataset in controls},
    }
    _versions_record(run, rules=rules, lists=lists, controls=controls)

    flags: dict[str, Flag] = {}
    live_weights: dict[str, int] = {}
    for rule, hit in hits:
        fingerprint = _fingerprint(rule, hit.fingerprint)
        if fingerprint in flags:
            continue
        if not rule.is_pilot:
            live_weights[fingerprint] = rule.weight
        flags[fingerprint] = Flag(
            run=run,
            application=application,
            licence=run.licence,
            rule=rule,
            shadow=rule.is_pilot,
            weight=rule.weight,
            fingerprint=fingerprint,
            party_id=hit.party_id,
            item_id=hit.item_id,
            summary=hit.summary[:500],
            evidence=hit.evidence,
            list_version_id=hit.list_version_id,
            data_versions=data_versions,
        )
    if run.trigger == Run.Trigger.RESCREEN:
        seen = set(
            Flag.objects.filter(application=application, fingerprint__in=list(flags))
            .exclude(run=run)
            .values_list("fingerprint", flat=True)
        )
        flags = {key: flag for key, flag in flags.items() if key not in seen}
    Flag.objects.bulk_create(list(flags.values()))

    # The score is the whole assessment under the rules in force: every live hit counts once,
    # also on a re-screen where only the new hits become flags. No rule in force: no score.
    if rules:
        run.risk_score = min(100, sum(live_weights.values()))
        run.tier = tier_for(run.risk_score)
    run.flag_count = sum(1 for flag in flags.values() if not flag.shadow)
    run.shadow_flag_count = len(flags) - run.flag_count
    run.status = Run.Status.COMPLETED
    run.finished_at = timezone.now()
    run.error = ""
    run.save(
        update_fields=[
            "risk_score",
            "tier",
            "flag_count",
            "shadow_flag_count",
            "status",
            "finished_at",
            "error",
        ]
    )
    # A re-screen that found nothing new changed nothing: the run row is its record. Anything
    # else is audited (writing the audit chain serialises workers, so only what matters).
    if run.trigger != Run.Trigger.RESCREEN or flags:
        _run_completed_audit(run, rules=rules, data_versions=data_versions)
    if run.trigger in ROUTING_TRIGGERS:
        if application.status == AppStatus.SCREENING:
            case_route_to_triage(
                application=application, tier=run.tier or None, risk_score=run.risk_score
            )
    elif run.flag_count:
        _new_flags_raise(run, [flag for flag in flags.values() if not flag.shadow])
    if run.batch_id is not None:
        batch_id = run.batch_id
        transaction.on_commit(lambda: _batch_finish_if_done(batch_id))
    return run


def _run_completed_audit(run: ScreeningRun, *, rules: list[Rule], data_versions: dict) -> None:
    audit_record(
        actor=None,
        verb=Verb.SCREENING_COMPLETED,
        target=run,
        to_status=run.status,
        payload={
            "application": run.application.reference,
            "trigger": run.trigger,
            "risk_score": run.risk_score,
            "tier": run.tier,
            "flags": run.flag_count,
            "shadow_flags": run.shadow_flag_count,
            "rules": [str(rule) for rule in rules],
            **data_versions,
        },
    )


def _fingerprint(rule: Rule, subject: str) -> str:
    prefix = f"pilot:{rule.code}" if rule.is_pilot else rule.code
    return f"{prefix}:{subject}"[:200]


def _versions_record(run: ScreeningRun, *, rules: list[Rule], lists: list, controls: list) -> None:
    """Record the versions used, in one insert per relation (no-ops on a redelivery)."""
    for relation, objects, column in (
        (ScreeningRun.rule_versions, rules, "rule_id"),
        (ScreeningRun.list_versions, lists, "listversion_id"),
        (ScreeningRun.control_datasets, controls, "controldataset_id"),
    ):
        through = relation.through
        through.objects.bulk_create(
            [through(screeningrun_id=run.pk, **{column: obj.pk}) for obj in objects],
            ignore_conflicts=True,
        )


def tier_for(score: int) -> str:
    """The tier of a risk score, from settings.SCREENING_TIER_THRESHOLDS (lower bounds)."""
    thresholds = settings.SCREENING_TIER_THRESHOLDS
    if score >= thresholds["high"]:
        return Tier.HIGH
    if score >= thresholds["medium"]:
        return Tier.MEDIUM
    return Tier.LOW


def _new_flags_raise(run: ScreeningRun, flags: list[Flag]) -> None:
    """A re-screen found new live hits: record them, raise the tier, tell an official."""
    application = locked(run.application)
    target = run.licence or application
    audit_record(
        actor=None,
        verb=Verb.FLAGS_RAISED,
        target=target,
        payload={
            "run": run.pk,
            "application": application.reference,
            "flags": [flag.fingerprint for flag in flags],
        },
    )
    if application.status in OPEN_CASE_STATUSES:
        higher_score = application.risk_score is None or run.risk_score > application.risk_score
        higher_tier = TIER_RANK.get(run.tier, 0) > TIER_RANK.get(application.tier, 0)
        if higher_score or higher_tier:
            before = {"tier": application.tier, "risk_score": application.risk_score}
            application.risk_score = max(run.risk_score, application.risk_score or 0)
            if higher_tier:
                application.tier = run.tier
            application.save(update_fields=["risk_score", "tier", "updated_at"])
            audit_record(
                actor=None,
                verb=Verb.CASE_RETIERED,
                target=application,
                payload={
                    "run": run.pk,
                    "from": before,
                    "to": {"tier": application.tier, "risk_score": application.risk_score},
                },
            )
    if application.assigned_officer_id is not None:
        people = [application.assigned_officer]
    else:
        people = licensing_officers()
    notify.notify_officials(
        application=application,
        people=people,
        template="flags_raised",
        context={"licence": run.licence, "flag_count": len(flags), "run": run},
    )


# --- Failure, retry and the sweeper -----------------------------------------------------------


@transaction.atomic
def screening_run_fail(*, run_id: int, error: str) -> ScreeningRun:
    """The run failed for good: mark it failed and put the case, visibly, in screening_failed."""
    run = (
        ScreeningRun.objects.select_for_update(of=("self",))
        .select_related("application")
        .get(pk=run_id)
    )
    if run.is_finished:
        return run
    run.status = Run.Status.FAILED
    run.finished_at = timezone.now()
    run.error = error[:ERROR_MAX_CHARS]
    run.save(update_fields=["status", "finished_at", "error"])
    if run.trigger in ROUTING_TRIGGERS:
        case_fail_screening(application=run.application, error=run.error)
    else:
        audit_record(
            actor=None,
            verb=Verb.SCREENING_FAILED,
            target=run,
            to_status=run.status,
            payload={"application": run.application.reference, "error": run.error},
        )
    if run.batch_id is not None:
        _batch_finish_if_done(run.batch_id)
    return run


@transaction.atomic
def screening_retry(*, actor: User, application: Application) -> ScreeningRun:
    """An official sends a case whose screening failed back to screening, with a new run."""
    require_reviewer(actor)
    application = locked(application)
    if application.status == AppStatus.SCREENING:
        latest = application.screening_runs.order_by("-queued_at", "-id").first()
        if latest is not None and not latest.is_finished:
            return latest
    transition(application, "retry_screening", actor=actor, verb=Verb.SCREENING_RETRIED)
    return screening_run_request(application=application, trigger=Run.Trigger.RETRY)


def screening_sweep_stuck() -> int:
    """Queue again every run stuck in the queue or running for too long; fail it for good
    after settings.SCREENING_MAX_ATTEMPTS starts. Cases left in `screening` without an
    unfinished run get a new run. Returns how many runs were re-queued, failed or created."""
    cutoff = timezone.now() - timedelta(seconds=settings.SCREENING_STUCK_AFTER_SECONDS)
    stuck = ScreeningRun.objects.filter(
        Q(status=Run.Status.QUEUED, queued_at__lt=cutoff)
        | Q(status=Run.Status.RUNNING, started_at__lt=cutoff)
    ).values_list("pk", flat=True)
    count = sum(_run_requeue(run_id, cutoff) for run_id in list(stuck))
    orphans = (
        Application.objects.filter(status=AppStatus.SCREENING, updated_at__lt=cutoff)
        .exclude(screening_runs__status__in=[Run.Status.QUEUED, Run.Status.RUNNING])
        .values_list("pk", flat=True)
    )
    count += sum(_orphan_screen(pk) for pk in list(orphans))
    return count


@transaction.atomic
def _run_requeue(run_id: int, cutoff) -> int:
    run = ScreeningRun.objects.select_for_update(of=("self",)).get(pk=run_id)
    stuck_since = run.started_at if run.status == Run.Status.RUNNING else run.queued_at
    if run.is_finished or stuck_since is None or stuck_since >= cutoff:
        return 0
    if run.attempts >= settings.SCREENING_MAX_ATTEMPTS:
        screening_run_fail(
            run_id=run.pk,
            error=f"Screening did not finish after {run.attempts} attempts (worker lost).",
        )
        return 1
    previous = run.status
    run.status = Run.Status.QUEUED
    run.queued_at = timezone.now()
    run.save(update_fields=["status", "queued_at"])
    audit_record(
        actor=None,
        verb=Verb.SCREENING_REQUEUED,
        target=run,
        from_status=previous,
        to_status=run.status,
        payload={"attempts": run.attempts, "stuck_since": stuck_since},
    )
    screening_run_enqueue(run=run)
    return 1


@transaction.atomic
def _orphan_screen(application_id: int) -> int:
    application = Application.objects.select_for_update().get(pk=application_id)
    unfinished = application.screening_runs.filter(
        status__in=[Run.Status.QUEUED, Run.Status.RUNNING]
    )
    if application.status != AppStatus.SCREENING or unfinished.exists():
        return 0
    trigger = Run.Trigger.AMENDMENT if application.amends_licence_id else Run.Trigger.SUBMISSION
    run = screening_run_request(application=application, trigger=trigger)
    audit_record(
        actor=None,
        verb=Verb.SCREENING_REQUEUED,
        target=run,
        to_status=run.status,
        payload={"application": application.reference, "reason": "no unfinished run"},
    )
    return 1


# --- Re-screening -------------------------------------------------------------------------------


def _rescreen_targets():
    """(application id, licence id or None) of every open case and active licence."""
    cases = Application.objects.filter(status__in=OPEN_CASE_STATUSES).order_by("pk")
    licences = Licence.objects.filter(status=Licence.Status.ACTIVE).order_by("pk")
    yield from ((pk, None) for pk in cases.values_list("pk", flat=True).iterator())
    yield from licences.values_list("application_id", "pk").iterator()


@transaction.atomic
def rescreen_start(
    *,
    trigger: str,
    actor: User | None = None,
    list_version: ListVersion | None = None,
    rule: Rule | None = None,
) -> RescreenBatch:
    """Re-screen every open case and active licence in the background, after the commit."""
    from ..tasks import rescreen_dispatch as rescreen_dispatch_task

    total = (
        Application.objects.filter(status__in=OPEN_CASE_STATUSES).count()
        + Licence.objects.filter(status=Licence.Status.ACTIVE).count()
    )
    batch = RescreenBatch.objects.create(
        trigger=trigger, list_version=list_version, rule=rule, requested_by=actor, total=total
    )
    if total == 0:
        batch.finished_at = timezone.now()
        batch.save(update_fields=["finished_at"])
    audit_record(
        actor=actor,
        verb=Verb.RESCREEN_STARTED,
        target=batch,
        payload={
            "trigger": trigger,
            "list_version": list_version.pk if list_version else None,
            "rule": str(rule) if rule else None,
            "total": total,
        },
    )
    if total:
        rescreen_dispatch_task.delay_on_commit(batch.pk)
    return batch


def rescreen_dispatch(*, batch_id: int) -> int:
    """Create the batch's runs in chunks and queue one task per run. A redelivered dispatch
    creates runs only for targets the batch does not have yet. Returns how many it created."""
    batch = RescreenBatch.objects.get(pk=batch_id)
    existing = set(
        ScreeningRun.objects.filter(batch=batch).values_list("application_id", "licence_id")
    )
    targets = [target for target in _rescreen_targets() if target not in existing]
    RescreenBatch.objects.filter(pk=batch.pk).update(total=len(existing) + len(targets))
    created = 0
    for start in range(0, len(targets), DISPATCH_CHUNK):
        now = timezone.now()
        with transaction.atomic():
            runs = ScreeningRun.objects.bulk_create(
                [
                    ScreeningRun(
                        application_id=application_id,
                        licence_id=licence_id,
                        batch=batch,
                        trigger=Run.Trigger.RESCREEN,
                        queued_at=now,
                    )
                    for application_id, licence_id in targets[start : start + DISPATCH_CHUNK]
                ]
            )
            for run in runs:
                screening_run_enqueue(run=run)
        created += len(runs)
    _batch_finish_if_done(batch.pk)
    return created


def _batch_finish_if_done(batch_id: int) -> None:
    """Stamp the batch finished once all its runs exist (the total) and none is unfinished."""
    runs = ScreeningRun.objects.filter(batch_id=batch_id)
    if runs.filter(status__in=[Run.Status.QUEUED, Run.Status.RUNNING]).exists():
        return
    RescreenBatch.objects.filter(
        pk=batch_id, finished_at__isnull=True, total__lte=runs.count()
    ).update(finished_at=timezone.now())


def rescreen_after_list_import(*, version: ListVersion) -> None:
    """A new list version came into force: re-screen once its import has committed (when
    there is anything to re-screen: an open case or an active licence)."""
    if not (
        Application.objects.filter(status__in=OPEN_CASE_STATUSES).exists()
        or Licence.objects.filter(status=Licence.Status.ACTIVE).exists()
    ):
        return
    transaction.on_commit(
        lambda: rescreen_start(trigger=RescreenBatch.Trigger.LIST_VERSION, list_version=version)
    )


__all__ = [
    "rescreen_after_list_import",
    "rescreen_dispatch",
    "rescreen_start",
    "screening_retry",
    "screening_run_execute",
    "screening_run_fail",
    "screening_run_request",
    "screening_sweep_stuck",
    "tier_for",
]

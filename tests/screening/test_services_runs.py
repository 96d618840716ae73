"""The flagging pipeline (screening.services.runs), with Celery eager and on-commit callbacks
executed in the test: runs, flags, score and tier, routing, idempotency, failure and retry,
the stuck-run sweeper, and background re-screening with its progress."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from exportgov.audit.models import AuditEvent
from exportgov.core.exceptions import ApplicationError
from exportgov.notifications.models import Notification
from licensing.models import Application, Licence
from licensing.services.applications import application_submit
from screening import checks
from screening.models import Flag, ListVersion, RescreenBatch, Rule, ScreeningRun
from screening.selectors_runs import rescreen_progress
from screening.services import list_version_import
from screening.services.runs import (
    rescreen_start,
    screening_retry,
    screening_run_execute,
    screening_run_fail,
    screening_run_request,
    screening_sweep_stuck,
    tier_for,
)
from screening.tasks import screen_application as screen_application_task
from screening.tasks import screening_sweep_stuck as screening_sweep_stuck_task
from tests.licensing.factories import audit_events, make_approved, make_draft, make_submitted

from .conftest import EU, OFAC_V1, OFAC_V2
from .factories import FlagFactory, RuleFactory

Verb = AuditEvent.Verb
Status = Application.Status
RunStatus = ScreeningRun.Status

STATEMENT = "Guidance sets for a missile programme; also usable for nuclear weapon design."


def _rules():
    """Two live end-use rules that both hit STATEMENT (30 + 40 = 70: high tier)."""
    return (
        RuleFactory(code="end-use-nuclear", parameters={"phrases": ["nuclear weapon"]}, weight=30),
        RuleFactory(code="end-use-missile", parameters={"phrases": ["missile"]}, weight=40),
    )


def _draft(world, statement: str = STATEMENT) -> Application:
    return make_draft(world, end_use={"end_use_statement": statement})


def _submit(world, draft, capture) -> Application:
    with capture(execute=True):
        application_submit(actor=world.exporter, application=draft)
    return Application.objects.get(pk=draft.pk)


# --- Submission: flags, score, tier, routing -------------------------------------------------


def test_screening_run_execute_flags_scores_tiers_and_routes_a_submission(
    world, django_capture_on_commit_callbacks
):
    nuclear, missile = _rules()
    eu = list_version_import(actor=None, paths=[EU])

    application = _submit(world, _draft(world), django_capture_on_commit_callbacks)

    run = application.screening_runs.get()
    assert (run.trigger, run.status, run.attempts) == ("submission", RunStatus.COMPLETED, 1)
    assert run.started_at is not None
    assert run.finished_at >= run.started_at
    assert (run.risk_score, run.tier, run.flag_count, run.shadow_flag_count) == (70, "high", 2, 0)
    flags = {flag.rule_id: flag for flag in run.flags.all()}
    assert set(flags) == {nuclear.pk, missile.pk}
    assert flags[missile.pk].weight == 40
    assert flags[missile.pk].fingerprint.startswith("end-use-missile:")
    assert not flags[missile.pk].shadow
    assert flags[missile.pk].data_versions == {"lists": {eu.source.code: eu.pk}, "controls": {}}
    assert set(run.rule_versions.all()) == {nuclear, missile}
    assert list(run.list_versions.all()) == [eu]
    assert application.status == Status.TRIAGE
    assert (application.tier, application.risk_score) == ("high", 70)
    assert application.team == world.licensing_team
    assert audit_events(application, Verb.CASE_TRIAGED).get().payload == {
        "tier": "high",
        "risk_score": 70,
    }
    completed = audit_events(run, Verb.SCREENING_COMPLETED).get()
    assert completed.payload["risk_score"] == 70
    assert completed.payload["lists"] == {eu.source.code: eu.pk}
    assert [m.to for m in mail.outbox if "triage queue" in m.subject] == [
        [world.case_officer.email]
    ]


def test_screening_run_request_queues_the_task_only_on_commit(
    world, django_capture_on_commit_callbacks
):
    _rules()
    draft = _draft(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application_submit(actor=world.exporter, application=draft)

    run = draft.screening_runs.get()
    assert run.status == RunStatus.QUEUED
    assert Application.objects.get(pk=draft.pk).status == Status.SCREENING
    for callback in callbacks:
        callback()
    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED
    assert Application.objects.get(pk=draft.pk).status == Status.TRIAGE


def test_screening_run_request_of_an_amendment_has_the_amendment_trigger(world):
    licence = make_approved(world).licence
    draft = _draft(world)
    Application.objects.filter(pk=draft.pk).update(amends_licence=licence)
    application_submit(actor=world.exporter, application=Application.objects.get(pk=draft.pk))

    assert draft.screening_runs.get().trigger == ScreeningRun.Trigger.AMENDMENT


@pytest.mark.parametrize(
    ("score", "tier"), [(0, "low"), (24, "low"), (25, "medium"), (59, "medium"), (60, "high")]
)
def test_tier_for_follows_the_configured_thresholds(score, tier):
    assert tier_for(score) == tier


@override_settings(SCREENING_TIER_THRESHOLDS={"medium": 10, "high": 20})
def test_tier_for_reads_the_thresholds_from_settings():
    assert tier_for(15) == "medium"


def test_screening_run_execute_without_hits_is_low_tier_with_score_zero(
    world, django_capture_on_commit_callbacks
):
    _rules()
    application = _submit(world, _draft(world, "Astronomy."), django_capture_on_commit_callbacks)

    assert (application.status, application.tier, application.risk_score) == (
        Status.TRIAGE,
        "low",
        0,
    )
    assert not application.flags.exists()


def test_screening_run_execute_caps_the_score_at_100(world, django_capture_on_commit_callbacks):
    RuleFactory(parameters={"phrases": ["missile"]}, weight=70)
    RuleFactory(parameters={"phrases": ["nuclear weapon"]}, weight=70)

    application = _submit(world, _draft(world), django_capture_on_commit_callbacks)

    assert application.risk_score == 100


def test_screening_run_execute_stores_pilot_hits_as_shadow_flags_that_neither_score_nor_route(
    world, django_capture_on_commit_callbacks
):
    RuleFactory(code="end-use-missile", parameters={"phrases": ["missile"]}, weight=10)
    pilot = RuleFactory(
        code="end-use-missile",
        version=2,
        mode=Rule.Mode.PILOT,
        parameters={"phrases": ["missile", "nuclear weapon"]},
        weight=90,
    )

    application = _submit(world, _draft(world), django_capture_on_commit_callbacks)

    run = application.screening_runs.get()
    assert (run.risk_score, run.tier, run.flag_count) == (10, "low", 1)
    assert run.shadow_flag_count >= 1
    shadow = list(run.flags.filter(shadow=True))
    assert shadow
    assert all(flag.rule == pilot for flag in shadow)
    assert all(flag.fingerprint.startswith("pilot:end-use-missile:") for flag in shadow)
    assert (application.tier, application.risk_score) == ("low", 10)


# --- Idempotency -----------------------------------------------------------------------------


def test_screening_run_execute_twice_changes_nothing(world, django_capture_on_commit_callbacks):
    _rules()
    application = _submit(world, _draft(world), django_capture_on_commit_callbacks)
    run = application.screening_runs.get()
    flags = sorted(run.flags.values_list("pk", flat=True))
    events = AuditEvent.objects.count()

    again = screening_run_execute(run_id=run.pk)

    assert again.status == RunStatus.COMPLETED
    assert again.attempts == 1
    assert sorted(run.flags.values_list("pk", flat=True)) == flags
    assert AuditEvent.objects.count() == events


def test_screening_run_execute_after_a_crash_replaces_the_partial_flags(world):
    nuclear, _missile = _rules()
    application = _draft(world)
    application_submit(actor=world.exporter, application=application)  # not committed: queued
    run = application.screening_runs.get()
    # A worker died after writing one flag: the run was left running.
    ScreeningRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, attempts=1, started_at=timezone.now()
    )
    FlagFactory(run=run, rule=nuclear, fingerprint="end-use-nuclear:half-written")

    run = screening_run_execute(run_id=run.pk)

    assert run.status == RunStatus.COMPLETED
    assert run.attempts == 2
    fingerprints = list(run.flags.values_list("fingerprint", flat=True))
    assert len(fingerprints) == 2 == len(set(fingerprints))
    assert "end-use-nuclear:half-written" not in fingerprints
    assert Application.objects.get(pk=application.pk).status == Status.TRIAGE


def test_screen_application_is_acks_late_and_retries_transient_errors():
    from django.db import OperationalError

    assert screen_application_task.acks_late is True
    assert screen_application_task.reject_on_worker_lost is True
    assert screen_application_task.retry_backoff is True
    assert screen_application_task.max_retries == 5
    assert OperationalError in screen_application_task.autoretry_for
    assert screen_application_task.name == "screening.tasks.screen_application"


def test_screening_sweep_stuck_runs_every_minute_on_the_beat_schedule():
    from exportgov.celery import app

    entries = [
        entry
        for entry in app.conf.beat_schedule.values()
        if entry["task"] == screening_sweep_stuck_task.name
    ]
    assert len(entries) == 1
    assert entries[0]["schedule"] == 60.0


# --- Failure and retry -----------------------------------------------------------------------


def _failing_check(*, rule, context):
    raise ValueError("the rule's parameters are broken")


def test_screen_application_failing_for_good_leaves_the_case_visibly_failed(world, monkeypatch):
    _rules()
    application = _draft(world)
    application_submit(actor=world.exporter, application=application)
    run = application.screening_runs.get()
    monkeypatch.setattr(checks, "check_run", _failing_check)

    result = screen_application_task.apply(args=[run.pk], throw=False)

    assert result.failed()
    run.refresh_from_db()
    application.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "ValueError: the rule's parameters are broken" in run.error
    assert application.status == Status.SCREENING_FAILED
    failed = audit_events(application, Verb.SCREENING_FAILED).get()
    assert (failed.from_status, failed.to_status) == (Status.SCREENING, Status.SCREENING_FAILED)
    assert Notification.objects.filter(
        recipient=world.case_officer, subject=f"Screening of {application.reference} failed"
    ).exists()
    assert not run.flags.exists()


def test_screening_run_fail_of_a_finished_run_changes_nothing(world):
    application = make_submitted(world, screen=True)
    run = application.screening_runs.get()

    screening_run_fail(run_id=run.pk, error="late")

    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.COMPLETED, "")
    assert Application.objects.get(pk=application.pk).status == Status.TRIAGE


def test_screening_retry_queues_a_new_run_that_routes_the_case(
    world, django_capture_on_commit_callbacks
):
    _rules()
    application = _draft(world)
    application_submit(actor=world.exporter, application=application)
    screening_run_fail(run_id=application.screening_runs.get().pk, error="worker lost")

    with django_capture_on_commit_callbacks(execute=True):
        run = screening_retry(actor=world.case_officer, application=application)

    run.refresh_from_db()
    application.refresh_from_db()
    assert (run.trigger, run.status) == (ScreeningRun.Trigger.RETRY, RunStatus.COMPLETED)
    assert application.status == Status.TRIAGE
    assert application.risk_score == 70
    retried = audit_events(application, Verb.SCREENING_RETRIED).get()
    assert retried.actor == world.case_officer
    assert (retried.from_status, retried.to_status) == (Status.SCREENING_FAILED, Status.SCREENING)


def test_screening_retry_is_refused_to_exporters_and_for_cases_that_did_not_fail(world):
    application = make_submitted(world, screen=True)
    with pytest.raises(PermissionDenied):
        screening_retry(actor=world.exporter, application=application)
    with pytest.raises(ApplicationError):
        screening_retry(actor=world.case_officer, application=application)
    assert application.screening_runs.count() == 1


# --- The sweeper -----------------------------------------------------------------------------


def _stuck_run(world, *, attempts: int) -> ScreeningRun:
    application = _draft(world)
    application_submit(actor=world.exporter, application=application)
    run = application.screening_runs.get()
    long_ago = timezone.now() - timedelta(seconds=3600)
    ScreeningRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, attempts=attempts, queued_at=long_ago, started_at=long_ago
    )
    return run


def test_screening_sweep_stuck_requeues_a_run_left_running_and_the_case_reaches_triage(
    world, django_capture_on_commit_callbacks
):
    _rules()
    run = _stuck_run(world, attempts=1)
    fresh = _draft(world)
    application_submit(actor=world.exporter, application=fresh)  # queued just now: left alone

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert screening_sweep_stuck() == 1

    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED
    assert audit_events(run, Verb.SCREENING_REQUEUED).get().from_status == RunStatus.RUNNING
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    run.refresh_from_db()
    assert (run.status, run.attempts) == (RunStatus.COMPLETED, 2)
    assert run.application.status == Status.TRIAGE
    assert fresh.screening_runs.get().status == RunStatus.QUEUED


def test_screening_sweep_stuck_fails_a_run_for_good_after_the_last_attempt(world):
    run = _stuck_run(world, attempts=3)

    assert screening_sweep_stuck() == 1

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "3 attempts" in run.error
    assert Application.objects.get(pk=run.application_id).status == Status.SCREENING_FAILED


@override_settings(SCREENING_STUCK_AFTER_SECONDS=7200)
def test_screening_sweep_stuck_reads_its_delay_from_settings(world):
    run = _stuck_run(world, attempts=1)

    assert screening_sweep_stuck() == 0
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING


# --- Re-screening ----------------------------------------------------------------------------


def test_rescreen_start_raises_only_new_flags_and_retiers_the_case_upward(
    world, django_capture_on_commit_callbacks
):
    RuleFactory(code="end-use-nuclear", parameters={"phrases": ["nuclear weapon"]}, weight=30)
    application = _submit(world, _draft(world), django_capture_on_commit_callbacks)
    assert (application.tier, application.risk_score) == ("medium", 30)
    first_flag = application.flags.get()
    mail.outbox.clear()
    missile = RuleFactory(code="end-use-missile", parameters={"phrases": ["missile"]}, weight=40)

    with django_capture_on_commit_callbacks(execute=True):
        batch = rescreen_start(trigger=RescreenBatch.Trigger.RULE_VERSION, rule=missile)

    batch.refresh_from_db()
    run = batch.runs.get()
    assert (run.trigger, run.status, run.risk_score, run.tier) == (
        "rescreen",
        "completed",
        70,
        "high",
    )
    new = run.flags.get()
    assert new.rule == missile
    assert application.flags.count() == 2
    assert first_flag in application.flags.all()
    application.refresh_from_db()
    assert (application.tier, application.risk_score) == ("high", 70)
    assert application.status == Status.TRIAGE
    retiered = audit_events(application, Verb.CASE_RETIERED).get()
    assert retiered.payload["from"] == {"tier": "medium", "risk_score": 30}
    assert audit_events(application, Verb.FLAGS_RAISED).get().payload["flags"] == [new.fingerprint]
    assert audit_events(batch, Verb.RESCREEN_STARTED).get().payload["total"] == 1
    assert [m.to for m in mail.outbox if "New flags on" in m.subject] == [
        [world.case_officer.email]
    ]
    assert rescreen_progress(batch=batch) == {"done": 1, "failed": 0, "total": 1}
    assert batch.finished_at is not None


def test_rescreen_start_with_nothing_new_raises_no_flag_and_never_lowers_the_tier(
    world, django_capture_on_commit_callbacks
):
    RuleFactory(parameters={"phrases": ["nuclear weapon"]}, weight=30)
    application = make_submitted(world, draft=_draft(world), tier="high", screen=True)

    with django_capture_on_commit_callbacks(execute=True):
        batch = rescreen_start(trigger=RescreenBatch.Trigger.MANUAL, actor=world.policy_admin)

    assert batch.runs.get().flag_count == 0
    assert application.flags.count() == 1
    application.refresh_from_db()
    assert application.tier == "high"
    assert not audit_events(application, Verb.CASE_RETIERED).exists()


def test_rescreen_start_covers_active_licences_and_flags_the_licence(
    world, django_capture_on_commit_callbacks
):
    approved = make_approved(world)
    licence = Licence.objects.get(application=approved)
    open_case = make_submitted(world)
    make_draft(world)  # drafts are not re-screened
    rule = RuleFactory(parameters={"phrases": ["radio telescopes"]}, weight=20)

    with django_capture_on_commit_callbacks(execute=True):
        batch = rescreen_start(trigger=RescreenBatch.Trigger.RULE_VERSION, rule=rule)

    assert batch.total == 2
    runs = {(run.application_id, run.licence_id) for run in batch.runs.all()}
    assert runs == {(approved.pk, licence.pk), (open_case.pk, None)}
    licence_flag = Flag.objects.get(licence=licence)
    assert licence_flag.application == approved
    assert audit_events(licence, Verb.FLAGS_RAISED).exists()
    assert rescreen_progress(batch=batch) == {"done": 2, "failed": 0, "total": 2}


def test_rescreen_progress_counts_runs_by_status(world):
    application = make_submitted(world)
    batch = RescreenBatch.objects.create(trigger=RescreenBatch.Trigger.MANUAL, total=3)
    for status in (RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.QUEUED):
        ScreeningRun.objects.create(
            application=application,
            batch=batch,
            trigger=ScreeningRun.Trigger.RESCREEN,
            status=status,
            queued_at=timezone.now(),
        )

    assert rescreen_progress(batch=batch) == {"done": 1, "failed": 1, "total": 3}


def test_list_version_import_of_a_new_version_starts_a_rescreen(
    world, django_capture_on_commit_callbacks
):
    make_submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        first = list_version_import(actor=None, paths=OFAC_V1)
    with django_capture_on_commit_callbacks(execute=True):
        unchanged = list_version_import(actor=None, paths=OFAC_V1, skip_if_unchanged=True)
    with django_capture_on_commit_callbacks(execute=True):
        second = list_version_import(actor=None, paths=OFAC_V2)

    assert unchanged == first
    batches = list(RescreenBatch.objects.order_by("pk"))
    assert [batch.list_version for batch in batches] == [first, second]
    assert all(batch.trigger == RescreenBatch.Trigger.LIST_VERSION for batch in batches)
    assert rescreen_progress(batch=batches[-1]) == {"done": 1, "failed": 0, "total": 1}
    assert ListVersion.objects.get(pk=first.pk).status == ListVersion.Status.SUPERSEDED


def test_version_rescreen_shows_progress_and_polls_until_finished(
    world, client, django_capture_on_commit_callbacks
):
    make_submitted(world)
    version = list_version_import(actor=None, paths=[EU])
    batch = rescreen_start(trigger=RescreenBatch.Trigger.LIST_VERSION, list_version=version)
    url = reverse("screening:version_rescreen", args=[version.pk])
    client.force_login(world.policy_admin)

    page = client.get(reverse("screening:version_detail", args=[version.pk])).text
    assert f'hx-get="{url}"' in page
    polling = client.get(url).text
    assert "0 done / 1" in polling
    assert 'hx-trigger="every 2s"' in polling

    with django_capture_on_commit_callbacks(execute=True):
        from screening.services.runs import rescreen_dispatch

        rescreen_dispatch(batch_id=batch.pk)
    finished = client.get(url).text
    assert "1 done / 1" in finished
    assert "every 2s" not in finished


def test_screening_run_request_creates_a_queued_run(world, django_capture_on_commit_callbacks):
    application = make_submitted(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = screening_run_request(application=application, trigger=ScreeningRun.Trigger.RESCREEN)
    assert (run.status, run.attempts, run.batch) == (RunStatus.QUEUED, 0, None)
    assert len(callbacks) == 1

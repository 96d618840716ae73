"""Acceptance (issue 5): the flagging pipeline on a REAL Celery worker, against the suite's
Redis and this test's PostgreSQL database, with no eager mode in the test process.

- Submitting an application whose end user is an alias of a listed entity produces a flag
  that explains the alias match, a risk score, a tier, and the case in triage.
- A worker that died mid-task (simulated: the run left `running`, half its flags written, the
  message gone) is recovered by the sweeper; a redelivered task creates no duplicate flags.

Each test starts its own worker on a queue of its own (so that workers of other test runs on
the same Redis never take our tasks) and always terminates it.
"""

import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from licensing.models import Application, Party
from licensing.services.applications import application_submit, party_save
from screening.models import Flag, Rule, ScreeningRun
from screening.services import list_version_import
from screening.services import runs as run_services
from screening.tasks import screen_application as screen_application_task
from tests.licensing.factories import make_draft
from tests.workers import celery_worker, tasks_sent_to, worker_database_url

from .conftest import EU
from .factories import FlagFactory, RuleFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ALIAS = "AO Primer Zavod"  # an alias of "Joint Stock Company Example Defence Plant" (EU fixture)
PRIMARY = "Joint Stock Company Example Defence Plant"


@pytest.fixture
def worker(transactional_db):
    """A real worker (prefork, one child: a task can be killed mid-way) consuming a queue of its
    own; the test process sends its tasks there, not eagerly."""
    queue = f"pipeline-test-{uuid.uuid4().hex[:8]}"
    with (
        celery_worker(
            name=f"{queue}@localhost",
            queue=queue,
            database_url=worker_database_url(),
            prefork=True,
        ) as process,
        tasks_sent_to(queue),
    ):
        yield process


def _wait_for(predicate, *, seconds: float = 60, what: str = "the worker"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def _in_triage(application: Application) -> bool:
    return Application.objects.get(pk=application.pk).status == Application.Status.TRIAGE


def _flagging_setup() -> Rule:
    list_version_import(actor=None, paths=[EU])
    return RuleFactory(
        code="party-match-restricted",
        kind=Rule.Kind.PARTY_MATCH,
        parameters={"lists": [], "threshold": None, "roles": []},
        weight=70,
    )


def _draft_with_end_user(world, name: str) -> Application:
    draft = make_draft(world, country="RU")
    end_user = draft.parties.get(role=Party.Role.END_USER)
    party_save(
        actor=world.exporter,
        application=draft,
        party=end_user,
        data={"name": name, "kind": Party.Kind.COMPANY},
    )
    return Application.objects.get(pk=draft.pk)


def test_screen_application_on_a_real_worker_flags_an_alias_scores_tiers_and_triages(world, worker):
    rule = _flagging_setup()
    draft = _draft_with_end_user(world, ALIAS)

    application_submit(actor=world.exporter, application=draft)  # commits: the task is sent

    _wait_for(lambda: _in_triage(draft), what="the case to reach triage")
    application = Application.objects.get(pk=draft.pk)
    run = application.screening_runs.get()
    assert run.status == ScreeningRun.Status.COMPLETED
    assert run.attempts == 1
    flag = application.flags.get()
    assert flag.rule == rule
    assert flag.party == application.parties.get(role=Party.Role.END_USER)
    assert flag.evidence["matched_name"] == ALIAS
    assert flag.evidence["matched_name_kind"] != "primary"
    assert flag.evidence["entry_name"] == PRIMARY
    assert f"as “{ALIAS}”" in flag.summary
    assert PRIMARY in flag.summary
    assert flag.evidence["score"] >= flag.evidence["threshold"]
    assert flag.list_version_id == run.list_versions.get().pk
    assert (run.risk_score, run.tier) == (70, "high")
    assert (application.risk_score, application.tier) == (70, "high")
    assert application.team == world.licensing_team


def test_screening_sweep_stuck_recovers_a_run_whose_worker_died_and_redelivery_is_harmless(
    world, worker, monkeypatch
):
    rule = _flagging_setup()
    draft = _draft_with_end_user(world, ALIAS)
    # The worker dies mid-task: the message is gone, the run is left running, with half its
    # flags written. (The queueing is switched off for this submission only.)
    monkeypatch.setattr(run_services, "screening_run_enqueue", lambda **kwargs: None)
    application_submit(actor=world.exporter, application=draft)
    monkeypatch.undo()
    run = draft.screening_runs.get()
    long_ago = timezone.now() - timedelta(hours=1)
    ScreeningRun.objects.filter(pk=run.pk).update(
        status=ScreeningRun.Status.RUNNING, attempts=1, queued_at=long_ago, started_at=long_ago
    )
    FlagFactory(run=run, rule=rule, fingerprint="party-match-restricted:half-written", weight=70)
    time.sleep(1)
    assert not _in_triage(draft)  # nothing happens by itself

    assert run_services.screening_sweep_stuck() == 1  # as beat runs it: the run is re-queued

    _wait_for(lambda: _in_triage(draft), what="the sweeper's re-queued run")
    run.refresh_from_db()
    assert (run.status, run.attempts) == (ScreeningRun.Status.COMPLETED, 2)
    fingerprints = list(
        Flag.objects.filter(application=draft).values_list("fingerprint", flat=True)
    )
    assert len(fingerprints) == 1
    assert fingerprints[0].startswith("party-match-restricted:party:")

    # The same task delivered twice more (a broker redelivery), then a new submission behind
    # them on the same queue: once that is screened, the duplicates have been handled.
    screen_application_task.delay(run.pk)
    screen_application_task.delay(run.pk)
    marker = _draft_with_end_user(world, "Landessternwarte Königstuhl")
    application_submit(actor=world.exporter, application=marker)
    _wait_for(lambda: _in_triage(marker), what="the marker submission")

    assert (
        list(Flag.objects.filter(application=draft).values_list("fingerprint", flat=True))
        == fingerprints
    )
    run.refresh_from_db()
    assert (run.status, run.attempts, run.flag_count) == (ScreeningRun.Status.COMPLETED, 2, 1)
    application = Application.objects.get(pk=draft.pk)
    assert (application.risk_score, application.tier) == (70, "high")


def test_a_new_submission_overtakes_a_backlog_of_rescreens(world, transactional_db):
    """Re-screens are queued at a lower priority: a submission queued after them, on the same
    queue, is screened first by a worker that finds them all waiting."""
    _flagging_setup()
    open_cases = [_draft_with_end_user(world, f"Observatory {n}") for n in range(6)]
    newcomer = _draft_with_end_user(world, ALIAS)
    queue = f"priority-test-{uuid.uuid4().hex[:8]}"
    with tasks_sent_to(queue):
        rescreens = [
            run_services.screening_run_request(
                application=case, trigger=ScreeningRun.Trigger.RESCREEN
            )
            for case in open_cases
        ]
        application_submit(actor=world.exporter, application=newcomer)  # queued last
        submission = newcomer.screening_runs.get()
        with celery_worker(
            name=f"{queue}@localhost", queue=queue, database_url=worker_database_url()
        ):
            _wait_for(
                lambda: (
                    not ScreeningRun.objects.filter(
                        status__in=[ScreeningRun.Status.QUEUED, ScreeningRun.Status.RUNNING]
                    ).exists()
                ),
                what="every run to finish",
            )

    submission.refresh_from_db()
    started = sorted(
        ScreeningRun.objects.filter(pk__in=[run.pk for run in rescreens]).values_list(
            "started_at", flat=True
        )
    )
    assert submission.started_at < started[0]
    assert _in_triage(newcomer)

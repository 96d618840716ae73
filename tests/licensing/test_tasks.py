"""The daily licence-expiry task: run eagerly, on the beat schedule, and by a real worker."""

import time
import uuid
from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.db import OperationalError
from django.utils import timezone

from exportgov.audit.models import AuditEvent
from exportgov.celery import app as celery_app
from licensing.models import Licence
from licensing.tasks import TRANSIENT_ERRORS
from licensing.tasks import licence_expire_due as licence_expire_due_task
from tests.workers import celery_worker, tasks_sent_to, worker_database_url


def _make_due(licence: Licence) -> Licence:
    """Move the licence's expiry date into the past."""
    Licence.objects.filter(pk=licence.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    return licence


@pytest.mark.django_db
def test_licence_expire_due_expires_licences_past_their_date_once(world, licence):
    _make_due(licence)

    first = licence_expire_due_task.delay()
    second = licence_expire_due_task.delay()

    licence.refresh_from_db()
    assert (first.get(), second.get()) == (1, 0)
    assert licence.status == Licence.Status.EXPIRED
    assert (
        AuditEvent.objects.filter(
            verb=AuditEvent.Verb.LICENCE_EXPIRED, target_id=str(licence.pk)
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_licence_expire_due_leaves_licences_still_in_date(world, licence):
    assert licence_expire_due_task.delay().get() == 0

    licence.refresh_from_db()
    assert licence.status == Licence.Status.ACTIVE


def test_licence_expire_due_is_idempotent_acks_late_and_retries_transient_errors():
    assert licence_expire_due_task.acks_late is True
    assert licence_expire_due_task.max_retries == 5
    assert licence_expire_due_task.retry_backoff is True
    assert OperationalError in licence_expire_due_task.autoretry_for
    assert set(TRANSIENT_ERRORS) == set(licence_expire_due_task.autoretry_for)


def test_licence_expire_due_runs_daily_on_the_beat_schedule():
    entries = [
        entry
        for entry in celery_app.conf.beat_schedule.values()
        if entry["task"] == licence_expire_due_task.name
    ]

    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.day_of_week == set(range(7))
    assert len(schedule.hour) == 1
    assert len(schedule.minute) == 1
    assert licence_expire_due_task.name == "licensing.tasks.licence_expire_due"


# --- With a real worker ------------------------------------------------------------------


@pytest.fixture
def worker_queue(transactional_db):
    """A real Celery worker on the suite's Redis and this test's database, consuming a queue of
    its own."""
    queue = f"licensing-test-{uuid.uuid4().hex[:8]}"
    with celery_worker(name=f"{queue}@localhost", queue=queue, database_url=worker_database_url()):
        yield queue


@pytest.mark.celery_worker
def test_licence_expire_due_runs_on_a_real_worker(world, licence, worker_queue):
    _make_due(licence)
    with tasks_sent_to(worker_queue):
        licence_expire_due_task.delay()

    deadline = time.monotonic() + 20
    licence.refresh_from_db()
    while licence.status != Licence.Status.EXPIRED and time.monotonic() < deadline:
        time.sleep(0.2)
        licence.refresh_from_db()
    assert licence.status == Licence.Status.EXPIRED
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.LICENCE_EXPIRED, target_id=str(licence.pk), actor__isnull=True
    ).exists()

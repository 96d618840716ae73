"""Real Celery worker processes for tests that need the real queue (issue 2: "queue tests use a
real Redis and a real Celery worker").

    with celery_worker(queue="q", database_url=worker_database_url()) as process: ...
    with tasks_sent_to("q"): task.delay(...)   # not eagerly: through Redis to that worker

Each worker consumes a queue of its own, so workers of other test runs on the same Redis never
take our tasks. The worker is always stopped: SIGTERM to its process group, SIGKILL if it
does not stop within 20 seconds.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from exportgov.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parents[1]
START_SECONDS = 60


def worker_database_url() -> str:
    """The URL of the database this test runs in, for a worker to use the same one."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def celery_worker(
    *, name: str, queue: str | None = None, database_url: str | None = None, prefork: bool = False
) -> Iterator[subprocess.Popen]:
    """Start `celery worker` (solo pool, or prefork with one child), wait until it answers a
    ping, and stop it on the way out."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "exportgov.settings.test"}
    if database_url:
        env["DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "celery", "-A", "exportgov", "worker", "-n", name]
    command += ["--concurrency=1"] if prefork else ["--pool=solo"]
    command += ["--without-gossip", "--without-mingle", "--loglevel=WARNING"]
    if queue:
        command += ["-Q", queue]
    process = subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while not celery_app.control.ping(destination=[name], timeout=0.5):
            assert process.poll() is None, "the Celery worker exited"
            assert time.monotonic() < deadline, "the Celery worker did not answer in time"
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@contextmanager
def tasks_sent_to(queue: str) -> Iterator[None]:
    """Within the block, tasks go through the broker to `queue` instead of running eagerly."""
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous

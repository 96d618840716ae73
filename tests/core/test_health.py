import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from exportgov.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def celery_worker_name():
    """A real Celery worker process, on the suite's Redis, for the rest of this module."""
    name = f"health-{uuid.uuid4().hex[:8]}@localhost"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "exportgov.settings.test"}
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "exportgov",
        "worker",
        "--pool=solo",
        "-n",
        name,
    ]
    worker = subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(destination=[name], timeout=0.5):
            assert worker.poll() is None, "the Celery worker exited"
            assert time.monotonic() < deadline, "the Celery worker did not answer within 60 s"
        yield name
    finally:
        worker.terminate()
        worker.wait(timeout=20)


def test_healthz_is_503_when_no_worker_answers(client, settings):
    """Runs before the module's worker starts (and assumes no stray worker on the test Redis)."""
    settings.HEALTH_CHECK_TIMEOUT = 0.3
    response = client.get(reverse("core:healthz"))

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["checks"]["redis"]["status"] == "ok"
    assert body["checks"]["celery"] == {"status": "down", "detail": "no Celery worker answered"}


def test_healthz_is_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("core:healthz"))

    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["redis"]["status"] == "down"
    assert body["checks"]["celery"] == {"status": "down", "detail": "Redis is down"}
    assert body["checks"]["database"]["status"] == "ok"


def test_healthz_is_503_when_the_database_is_down(client, settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get(reverse("core:healthz"))

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "status": "down",
        "detail": "connection refused",
    }


@pytest.mark.celery_worker
def test_healthz_is_ok_with_database_redis_and_a_worker(client, celery_worker_name):
    response = client.get(reverse("core:healthz"))

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"status": "ok", "vendor": "postgresql"}
    assert body["checks"]["redis"] == {"status": "ok"}
    assert celery_worker_name in body["checks"]["celery"]["workers"]

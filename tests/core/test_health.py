import uuid

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from tests.workers import celery_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def celery_worker_name():
    """A real Celery worker process, on the suite's Redis, for the rest of this module."""
    name = f"health-{uuid.uuid4().hex[:8]}@localhost"
    with celery_worker(name=name):
        yield name


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

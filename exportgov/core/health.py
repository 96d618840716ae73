"""Health of the services the app depends on, for /healthz and the operators' monitors."""

import redis
from django.conf import settings
from django.db import connection

from exportgov.celery import app as celery_app
from exportgov.settings.embedded import EMBEDDED_REDIS_URL

OK, DOWN, EMBEDDED = "ok", "down", "embedded"


def health_check() -> dict:
    """Check the database, Redis and the Celery workers; `healthy` is False if any is down."""
    checks = {"database": _database()}
    if settings.REDIS_URL == EMBEDDED_REDIS_URL:
        checks["redis"] = {"status": EMBEDDED, "detail": "no Redis configured; tasks run eagerly"}
        checks["celery"] = {"status": EMBEDDED, "detail": "tasks run in the web process"}
    else:
        checks["redis"] = _redis()
        checks["celery"] = _celery() if checks["redis"]["status"] == OK else _down("Redis is down")
    healthy = all(check["status"] in (OK, EMBEDDED) for check in checks.values())
    return {
        "status": OK if healthy else DOWN,
        "checks": checks,
        "version": settings.EXPORTGOV_VERSION,
    }


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return _down(error)
    return {"status": OK, "vendor": connection.vendor}


def _redis() -> dict:
    timeout = settings.HEALTH_CHECK_TIMEOUT
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        client.ping()
    except redis.RedisError as error:
        return _down(error)
    return {"status": OK}


def _celery() -> dict:
    try:
        replies = celery_app.control.ping(timeout=settings.HEALTH_CHECK_TIMEOUT)
    except Exception as error:
        return _down(error)
    workers = sorted(name for reply in replies for name in reply)
    if not workers:
        return _down("no Celery worker answered")
    return {"status": OK, "workers": workers}


def _down(error) -> dict:
    return {"status": DOWN, "detail": str(error)}

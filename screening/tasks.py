"""Scheduled list work. Each task has the name of the service it wraps (STYLE §3); import it
with a `_task` suffix: `from screening.tasks import list_fetch as list_fetch_task`.

Beat runs `list_fetch_all` (see exportgov/celery.py); it queues one `list_fetch` per source
that has a URL in settings.SCREENING_LIST_FETCH_URLS or in its ListSource.fetch_url.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services import lists as services

# A publisher that is briefly unreachable, or a database failing over, is worth another try.
TRANSIENT_ERRORS = (services.ListFetchError, OperationalError, InterfaceError)


@shared_task(
    acks_late=True,  # idempotent: an unchanged download keeps the active version
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def list_fetch(source_code: str) -> int | None:
    """Download and import one source's list; returns the active version's id (None when
    the source has no URL configured)."""
    version = services.list_fetch(source_code=source_code)
    return version.pk if version is not None else None


@shared_task
def list_fetch_all() -> list[str]:
    """Queue a fetch of every source with a configured URL."""
    return services.list_fetch_all()

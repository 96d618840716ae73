"""Scheduled licensing work. Each task has the name of the service it wraps (STYLE §3);
import it with a `_task` suffix: `from licensing.tasks import licence_expire_due as
licence_expire_due_task`."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services import licences

# A database that is briefly unreachable or failing over is worth another try; nothing else is.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


@shared_task(
    acks_late=True,  # idempotent: the service expires only what is still due
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def licence_expire_due() -> int:
    """Expire every licence past its expiry date (beat runs this daily). Returns how many."""
    return licences.licence_expire_due()

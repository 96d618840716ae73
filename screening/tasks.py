"""Scheduled list work and the flagging pipeline. Each task has the name of the service it
wraps (STYLE §3); import it with a `_task` suffix:
`from screening.tasks import list_fetch as list_fetch_task`.

Beat runs `list_fetch_all` (see exportgov/celery.py); it queues one `list_fetch` per source
that has a URL in settings.SCREENING_LIST_FETCH_URLS or in its ListSource.fetch_url.
Beat also runs `screening_sweep_stuck` every minute (see screening.services.runs).
"""

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import InterfaceError, OperationalError

from .services import lists as services
from .services import runs

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


# --- The flagging pipeline (screening.services.runs) -----------------------------------------


class ScreenApplicationTask(DjangoTask):
    """When `screen_application` fails for good (retries spent, or an error that is not worth
    retrying), its run fails and the case moves, visibly, to `screening_failed`."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        run_id = args[0] if args else kwargs["run_id"]
        runs.screening_run_fail(run_id=run_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(
    base=ScreenApplicationTask,
    acks_late=True,  # idempotent: a finished run is left alone, a redelivery replaces its flags
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def screen_application(run_id: int) -> int:
    """Screen one run's application; returns the run's status."""
    return runs.screening_run_execute(run_id=run_id).status


@shared_task
def screening_sweep_stuck() -> int:
    """Re-queue runs stuck in the queue or running too long (beat: every minute)."""
    return runs.screening_sweep_stuck()


@shared_task(
    acks_late=True,  # idempotent: a redelivery creates runs only for targets not yet in the batch
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def rescreen_dispatch(batch_id: int) -> int:
    """Create a re-screening batch's runs and queue them; returns how many were created."""
    return runs.rescreen_dispatch(batch_id=batch_id)


# --- Sunset reviews of rules and control data (screening.services.reviews) ------------------


@shared_task
def sunset_reviews_open_due() -> int:
    """Open the sunset reviews now due (beat: daily); returns how many were opened."""
    from .services import reviews

    return reviews.sunset_reviews_open_due()


@shared_task
def rules_lapse_due() -> int:
    """Lapse the rule versions whose sunset passed with no decision (beat: daily)."""
    from .services import reviews

    return reviews.rules_lapse_due()


@shared_task
def control_datasets_lapse_due() -> int:
    """Lapse the control datasets whose sunset passed with no decision (beat: daily)."""
    from .services import reviews

    return reviews.control_datasets_lapse_due()


# --- Exporters whose open cases a published change touches (screening.services.affected) -----


@shared_task(
    acks_late=True,  # idempotent: a notice already handled (its audit event exists) is skipped
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def notice_affected_notify(notice_id: int) -> int:
    """Notify the exporters of the open cases a notice's change touches; how many cases."""
    from .services import affected

    return affected.notice_affected_notify(notice_id=notice_id)


@shared_task
def notice_email_subscribers(notice_id: int) -> int:
    """Email a published notice to its subscribers; returns how many emails were sent."""
    from .services import notices

    return notices.notice_subscribers_email(notice_id=notice_id)

"""Reads about the flagging pipeline: re-screening batches and their progress."""

from django.db.models import Count, Q

from exportgov.accounts.models import User

from .models import ListVersion, RescreenBatch, ScreeningRun
from .selectors import list_version_get_for_user


def rescreen_progress(*, batch: RescreenBatch) -> dict:
    """How far a re-screen has got: runs done (completed), failed, and the total."""
    counts = ScreeningRun.objects.filter(batch=batch).aggregate(
        done=Count("pk", filter=Q(status=ScreeningRun.Status.COMPLETED)),
        failed=Count("pk", filter=Q(status=ScreeningRun.Status.FAILED)),
    )
    return {"done": counts["done"], "failed": counts["failed"], "total": batch.total}


def rescreen_get_for_version(*, user: User, pk: int) -> tuple[ListVersion, RescreenBatch | None]:
    """A list version the user may see (404 otherwise) and the latest re-screen it started."""
    version = list_version_get_for_user(user=user, pk=pk)
    return version, RescreenBatch.objects.filter(list_version=version).first()

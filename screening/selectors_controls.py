"""Reads of the control datasets for the policy pages (screening.view_controldataset)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from exportgov.accounts.models import User

from .models import ControlDataset, LicenceRequirement

CONTROL_VIEW_PERMISSION = "screening.view_controldataset"


def _authorise(user: User) -> None:
    if not user.has_perm(CONTROL_VIEW_PERMISSION):
        raise PermissionDenied


def control_dataset_list_for_user(*, user: User) -> QuerySet[ControlDataset]:
    """Every control dataset, active ones first, then by kind and newest import."""
    _authorise(user)
    return ControlDataset.objects.select_related("imported_by").order_by(
        "status", "kind", "-imported_at"
    )


def control_dataset_get_for_user(*, user: User, pk: int) -> ControlDataset:
    _authorise(user)
    return get_object_or_404(ControlDataset.objects.select_related("imported_by"), pk=pk)


def licence_requirement_review_list(*, dataset: ControlDataset) -> QuerySet[LicenceRequirement]:
    """The licence-requirement rows of a CCL dataset kept with their raw text for review."""
    return (
        LicenceRequirement.objects.filter(entry__dataset=dataset, needs_review=True)
        .select_related("entry")
        .order_by("entry__code", "position")
    )

"""Helpers shared by the appeal services: the lock-and-transition pair, actors' checks."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from exportgov.accounts.models import User
from exportgov.audit.models import AuditEvent
from exportgov.core.exceptions import ApplicationError
from licensing.permissions import is_member
from licensing.services._transitions import locked, transition

from ..models import Appeal
from ..selectors import REVIEW_APPEAL, reviewer_involvement

Verb = AuditEvent.Verb
Status = Appeal.Status

ASSIGN_APPEAL = "appeals.assign_appeal"

__all__ = [
    "ASSIGN_APPEAL",
    "REVIEW_APPEAL",
    "Status",
    "Verb",
    "locked",
    "name_of",
    "require_appellant_side",
    "require_independent",
    "require_reviewer_role",
    "today",
    "transition",
]


def today():
    return timezone.localdate()


def name_of(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def require_appellant_side(actor: User, appeal: Appeal) -> None:
    """The appellant's organisation acts on the appeal (the appellant or a colleague)."""
    if not is_member(actor, appeal.organisation):
        raise PermissionDenied("Only members of the appealing organisation can do this.")


def require_reviewer_role(actor: User) -> None:
    if not actor.is_authenticated or not actor.has_perm(REVIEW_APPEAL):
        raise PermissionDenied("Only appeals reviewers can do this.")


def require_independent(appeal: Appeal, reviewer: User) -> None:
    """The reviewer took no part in the original case and is not on the appellant's side."""
    involvement = reviewer_involvement(appeal=appeal, user=reviewer)
    if involvement:
        raise ApplicationError(
            f"{name_of(reviewer)} cannot review appeal {appeal.reference}: they "
            f"{' and '.join(involvement)}. An appeal needs a reviewer independent of the case.",
            code="not_independent",
        )


def require_assigned_reviewer(actor: User, appeal: Appeal) -> None:
    require_reviewer_role(actor)
    if appeal.reviewer_id is None:
        raise ApplicationError("Assign the appeal to a reviewer first.", code="reviewer_required")
    if appeal.reviewer_id != actor.pk:
        raise PermissionDenied("Only the appeal's assigned reviewer can do this.")
    require_independent(appeal, actor)

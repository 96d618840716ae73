"""Who may do what with a case. Services call these before every change."""

from django.core.exceptions import PermissionDenied

from exportgov.accounts.models import Organisation, User

from .models import Application, Consultation, Licence


def is_member(user: User, application: Application | Licence | Organisation) -> bool:
    """True when the user belongs to the organisation that applied (or to `organisation`)."""
    organisation_id = (
        application.pk if isinstance(application, Organisation) else application.organisation_id
    )
    return (
        user.is_authenticated and user.memberships.filter(organisation_id=organisation_id).exists()
    )


def require_member(user: User, application: Application | Licence | Organisation) -> None:
    if not is_member(user, application):
        raise PermissionDenied("Only members of the applying organisation can do this.")


def require_perm(user: User, permission: str, message: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(message)


def require_reviewer(user: User) -> None:
    require_perm(
        user, "licensing.review_application", "Only case officers and senior officials can do this."
    )


def require_advisor_of(user: User, consultation: Consultation) -> None:
    if (
        not user.has_perm("licensing.give_advice")
        or not consultation.team.members.filter(pk=user.pk).exists()
    ):
        raise PermissionDenied("Only advisors of the body consulted can give this advice.")

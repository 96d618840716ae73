"""Reading accounts data a user is allowed to see."""

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from guardian.shortcuts import get_objects_for_user

from .models import Invitation, Membership, Organisation, Team, User
from .roles import Role


def organisation_list_for_user(*, user: User) -> QuerySet[Organisation]:
    """The user's own organisations, or all of them for officials with the global permission."""
    visible = get_objects_for_user(
        user, "accounts.view_organisation", klass=Organisation, accept_global_perms=True
    )
    return visible.annotate(member_count=Count("memberships", distinct=True)).order_by("name")


def organisation_get_for_user(*, user: User, pk: int) -> Organisation:
    return get_object_or_404(organisation_list_for_user(user=user), pk=pk)


def organisation_member_list(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by(
        "user__last_name", "user__first_name"
    )


def organisation_invitation_list(*, organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.filter(status=Invitation.Status.PENDING).select_related(
        "invited_by"
    )


def invitation_get_for_user(*, user: User, pk: int) -> Invitation:
    """An invitation of an organisation whose members the user may manage."""
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), pk=pk)
    if not user.has_perm("accounts.manage_members", invitation.organisation):
        organisation_get_for_user(
            user=user, pk=invitation.organisation_id
        )  # 404 if not visible at all
    return invitation


def membership_get_for_user(*, user: User, pk: int) -> Membership:
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    organisation_get_for_user(user=user, pk=membership.organisation_id)
    return membership


def invitation_get_by_token(*, token: str) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by"), token=token
    )


def team_list_for_user(*, user: User) -> QuerySet[Team]:
    return user.teams.all()


def user_counts_by_role() -> dict[str, int]:
    """How many active users hold each role (for the policy admin's dashboard)."""
    rows = (
        User.objects.filter(is_active=True, groups__name__in=[role.value for role in Role])
        .values("groups__name")
        .annotate(n=Count("id"))
    )
    return {row["groups__name"]: row["n"] for row in rows}

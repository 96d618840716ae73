"""Every change to users, organisations, memberships, invitations and teams."""

import secrets

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm
from rest_framework.authtoken.models import Token

from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record
from exportgov.core.exceptions import ApplicationError
from exportgov.notifications.services import email_send, notification_send

from .models import Invitation, Membership, Organisation, Team, User
from .roles import ROLE_PERMISSIONS, Role

Verb = AuditEvent.Verb


@transaction.atomic
def roles_sync() -> None:
    """Create one group per role holding exactly the role's declared permissions."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = [_permission(name) for name in perms]
        group.permissions.set(wanted)


def _permission(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    roles: list[Role] | tuple[Role, ...] = (),
) -> User:
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError(
            f"A user with the email address {email} already exists.", code="email_taken"
        )
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(actor=actor, verb=Verb.USER_CREATED, target=user, payload={"email": email})
    if roles:
        user_roles_set(actor=actor, user=user, roles=roles)
    return user


@transaction.atomic
def user_roles_set(*, actor: User | None, user: User, roles: list[Role] | tuple[Role, ...]) -> User:
    """Give the user exactly these roles (groups); other groups are left alone."""
    role_groups = _role_groups()
    user.groups.remove(*role_groups.exclude(name__in=roles))
    user.groups.add(*role_groups.filter(name__in=roles))
    user.__dict__.pop("_roles", None)
    audit_record(
        actor=actor, verb=Verb.USER_ROLES_SET, target=user, payload={"roles": sorted(roles)}
    )
    return user


def password_reset_record(*, user: User) -> None:
    """Record that the user set a new password through an emailed reset link."""
    audit_record(actor=user, verb=Verb.USER_PASSWORD_RESET, target=user)


@transaction.atomic
def api_token_create(*, actor: User) -> str:
    """A new API token for the actor, replacing any earlier one; returns the key to show once."""
    Token.objects.filter(user=actor).delete()
    token = Token.objects.create(user=actor)
    audit_record(actor=actor, verb=Verb.API_TOKEN_CREATED, target=actor)
    return token.key


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    country: str,
    admin: User,
    registration_number: str = "",
) -> Organisation:
    organisation = Organisation.objects.create(
        name=name, kind=kind, country=country, registration_number=registration_number
    )
    audit_record(actor=actor, verb=Verb.ORGANISATION_CREATED, target=organisation)
    membership_add(actor=actor, organisation=organisation, user=admin, role=Membership.Role.ADMIN)
    return organisation


@transaction.atomic
def membership_add(
    *, actor: User | None, organisation: Organisation, user: User, role: str
) -> Membership:
    """Make the user a member (or admin) and grant the matching object permissions."""
    membership, _ = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    if not user.has_role(Role.EXPORTER):
        user.groups.add(_role_groups().get(name=Role.EXPORTER.value))
        user.__dict__.pop("_roles", None)
    assign_perm("accounts.view_organisation", user, organisation)
    if role == Membership.Role.ADMIN:
        assign_perm("accounts.manage_members", user, organisation)
    else:
        remove_perm("accounts.manage_members", user, organisation)
    audit_record(
        actor=actor,
        verb=Verb.MEMBER_JOINED,
        target=organisation,
        payload={"user": user.email, "role": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    organisation = membership.organisation
    _require_manage_members(actor, organisation)
    other_admins = organisation.memberships.filter(role=Membership.Role.ADMIN).exclude(
        pk=membership.pk
    )
    if membership.role == Membership.Role.ADMIN and not other_admins.exists():
        raise ApplicationError(
            "An organisation needs at least one admin; appoint another admin first."
        )
    user = membership.user
    membership.delete()
    remove_perm("accounts.view_organisation", user, organisation)
    remove_perm("accounts.manage_members", user, organisation)
    audit_record(
        actor=actor, verb=Verb.MEMBER_REMOVED, target=organisation, payload={"user": user.email}
    )


@transaction.atomic
def invitation_create(
    *, actor: User, organisation: Organisation, email: str, role: str
) -> Invitation:
    """Invite a colleague by email; the link in the email lets them join."""
    _require_manage_members(actor, organisation)
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ApplicationError(
            f"{email} is already a member of {organisation}.", code="already_member"
        )
    if organisation.invitations.filter(
        email__iexact=email, status=Invitation.Status.PENDING
    ).exists():
        raise ApplicationError(f"{email} already has a pending invitation.", code="already_invited")
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=actor,
        expires_at=timezone.now() + settings.INVITATION_VALID_FOR,
    )
    audit_record(
        actor=actor,
        verb=Verb.MEMBER_INVITED,
        target=organisation,
        payload={"email": email, "role": role},
    )
    email_send(
        to=email,
        template="invitation",
        context={
            "invitation": invitation,
            "accept_url": settings.EXPORTGOV_SITE_URL
            + reverse("accounts:invitation_accept", kwargs={"token": invitation.token}),
        },
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _require_manage_members(actor, invitation.organisation)
    if invitation.status == Invitation.Status.REVOKED:
        return invitation
    if invitation.status != Invitation.Status.PENDING:
        raise ApplicationError("Only a pending invitation can be revoked.")
    invitation.status = Invitation.Status.REVOKED
    invitation.save(update_fields=["status"])
    audit_record(
        actor=actor,
        verb=Verb.INVITATION_REVOKED,
        target=invitation.organisation,
        payload={"email": invitation.email},
    )
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    actor: User | None,
    username: str = "",
    password: str = "",
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Join the organisation: as the signed-in user whose email was invited, or as a new user."""
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    )
    if invitation.status != Invitation.Status.PENDING:
        raise ApplicationError("This invitation has already been used or was revoked.", code="used")
    if invitation.expires_at < timezone.now():
        raise ApplicationError(
            "This invitation has expired; ask your organisation admin for a new one."
        )
    if actor is not None and actor.is_authenticated:
        if actor.email.lower() != invitation.email.lower():
            raise PermissionDenied("This invitation was sent to another email address.")
        user = actor
    else:
        user = user_create(
            actor=None,
            username=username,
            email=invitation.email,
            password=password,
            first_name=first_name,
            last_name=last_name,
        )
    membership = membership_add(
        actor=user, organisation=invitation.organisation, user=user, role=invitation.role
    )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_at"])
    for admin in invitation.organisation.memberships.filter(role=Membership.Role.ADMIN).exclude(
        user=user
    ):
        notification_send(
            recipient=admin.user,
            template="member_joined",
            context={"member": user, "organisation": invitation.organisation},
            url=reverse("accounts:organisation_detail", kwargs={"pk": invitation.organisation.pk}),
        )
    return membership


@transaction.atomic
def team_create(
    *, actor: User | None, name: str, code: str, kind: str, description: str = ""
) -> Team:
    group = Group.objects.create(name=f"team:{code}")
    team = Team.objects.create(
        name=name, code=code, kind=kind, description=description, group=group
    )
    audit_record(actor=actor, verb=Verb.TEAM_CREATED, target=team)
    return team


@transaction.atomic
def team_member_add(*, actor: User | None, team: Team, user: User) -> Team:
    if team.members.filter(pk=user.pk).exists():
        return team
    team.members.add(user)
    user.groups.add(team.group)
    audit_record(
        actor=actor, verb=Verb.TEAM_MEMBER_ADDED, target=team, payload={"user": user.email}
    )
    return team


def _require_manage_members(actor: User, organisation: Organisation) -> None:
    if not actor.has_perm("accounts.manage_members", organisation):
        raise PermissionDenied("Only an admin of this organisation can manage its members.")


def _role_groups():
    """The role groups, created on first use where migrations have not made them yet."""
    groups = Group.objects.filter(name__in=[role.value for role in Role])
    if groups.count() < len(Role):
        roles_sync()
    return groups

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from exportgov.accounts import selectors, services
from exportgov.accounts.models import Invitation, Membership
from exportgov.accounts.roles import ROLE_PERMISSIONS, Role
from exportgov.audit.models import AuditEvent
from exportgov.core.exceptions import ApplicationError
from exportgov.notifications.models import Notification
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _invite(world, email="new.colleague@example.org", role=Membership.Role.MEMBER) -> Invitation:
    return services.invitation_create(
        actor=world.exporter, organisation=world.organisation, email=email, role=role
    )


def test_roles_sync_gives_each_role_group_exactly_its_declared_permissions():
    services.roles_sync()
    for role, permissions in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == set(permissions), role


def test_user_roles_set_replaces_roles_and_is_audited():
    user = UserFactory()
    services.user_roles_set(actor=None, user=user, roles=[Role.CASE_OFFICER, Role.AUDITOR])
    services.user_roles_set(actor=None, user=user, roles=[Role.AUDITOR])

    user.refresh_from_db()
    assert user.roles == {Role.AUDITOR}
    assert user.has_perm("audit.view_auditevent")
    event = AuditEvent.objects.filter(
        verb=AuditEvent.Verb.USER_ROLES_SET, target_id=str(user.pk)
    ).last()
    assert event.payload == {"roles": ["auditor"]}


def test_organisation_members_see_only_their_own_organisation(world):
    visible_to_exporter = set(selectors.organisation_list_for_user(user=world.exporter))
    visible_to_officer = set(selectors.organisation_list_for_user(user=world.case_officer))

    assert visible_to_exporter == {world.organisation}
    assert visible_to_officer == {world.organisation, world.other_organisation}
    assert set(selectors.organisation_list_for_user(user=world.advisor)) == set()


def test_invitation_create_emails_the_colleague_and_is_audited(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(world)

    assert invitation.status == Invitation.Status.PENDING
    assert invitation.expires_at > timezone.now()
    (message,) = mail.outbox
    assert message.to == ["new.colleague@example.org"]
    assert world.organisation.name in message.subject
    assert f"/invitations/accept/{invitation.token}/" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.MEMBER_INVITED, target_id=str(world.organisation.pk)
    ).exists()


def test_invitation_create_sends_no_email_when_the_transaction_rolls_back(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _invite(world)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_invitation_create_by_a_plain_member_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=world.colleague,
            organisation=world.organisation,
            email="x@example.org",
            role="member",
        )


def test_invitation_create_for_another_organisation_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=world.other_exporter,
            organisation=world.organisation,
            email="x@example.org",
            role="member",
        )


def test_invitation_create_twice_for_the_same_email_is_refused(world):
    _invite(world)
    with pytest.raises(ApplicationError, match="already has a pending invitation"):
        _invite(world, email="NEW.colleague@example.org")


def test_invitation_create_for_an_existing_member_is_refused(world):
    with pytest.raises(ApplicationError, match="already a member"):
        _invite(world, email=world.colleague.email)


def test_invitation_accept_creates_the_user_with_membership_and_permissions(world):
    invitation = _invite(world)

    membership = services.invitation_accept(
        invitation=invitation,
        actor=None,
        username="newcolleague",
        password="a-Strong-password-99",
        first_name="Nia",
        last_name="Novak",
    )

    user = membership.user
    assert user.email == "new.colleague@example.org"
    assert user.check_password("a-Strong-password-99")
    assert user.has_role(Role.EXPORTER)
    assert user.has_perm("accounts.view_organisation", world.organisation)
    assert not user.has_perm("accounts.manage_members", world.organisation)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert Notification.objects.filter(
        recipient=world.exporter, subject__contains="Nia Novak"
    ).exists()


def test_invitation_accept_twice_is_refused(world):
    invitation = _invite(world)
    services.invitation_accept(
        invitation=invitation, actor=None, username="a1", password="a-Strong-password-99"
    )
    with pytest.raises(ApplicationError, match="already been used"):
        services.invitation_accept(
            invitation=invitation, actor=None, username="a2", password="a-Strong-password-99"
        )


def test_invitation_accept_after_expiry_is_refused(world):
    invitation = _invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with pytest.raises(ApplicationError, match="expired"):
        services.invitation_accept(
            invitation=invitation, actor=None, username="a1", password="a-Strong-password-99"
        )


def test_invitation_accept_by_a_signed_in_user_with_another_email_is_refused(world):
    invitation = _invite(world)
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, actor=world.other_exporter)


def test_invitation_revoke_is_idempotent_and_audited(world):
    invitation = _invite(world)
    services.invitation_revoke(actor=world.exporter, invitation=invitation)
    services.invitation_revoke(actor=world.exporter, invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.INVITATION_REVOKED).count() == 1


def test_membership_remove_takes_the_permissions_away(world):
    membership = world.organisation.memberships.get(user=world.colleague)
    services.membership_remove(actor=world.exporter, membership=membership)

    colleague = type(world.colleague).objects.get(pk=world.colleague.pk)
    assert not colleague.has_perm("accounts.view_organisation", world.organisation)
    assert not world.organisation.memberships.filter(user=colleague).exists()


def test_membership_remove_of_the_last_admin_is_refused(world):
    membership = world.organisation.memberships.get(user=world.exporter)
    with pytest.raises(ApplicationError, match="at least one admin"):
        services.membership_remove(actor=world.exporter, membership=membership)

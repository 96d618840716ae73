from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models.functions import Lower
from django_countries.fields import CountryField

from .roles import GOVERNMENT_ROLES, Role


class User(AbstractUser):
    """A person who signs in. Roles are groups named after `Role` values."""

    email = models.EmailField("email address", unique=True)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def roles(self) -> set[str]:
        """Role names of this user; cached per instance because every page asks."""
        if not hasattr(self, "_roles"):
            names = {group.name for group in self.groups.all()}
            self._roles = {role for role in Role if role in names}
        return self._roles

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_government(self) -> bool:
        return bool(self.roles & GOVERNMENT_ROLES)


class Organisation(models.Model):
    """An exporter: a company or a research institution that applies for licences."""

    class Kind(models.TextChoices):
        COMPANY = "company", "Company"
        RESEARCH = "research", "Research institution"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    country = CountryField()
    registration_number = models.CharField(max_length=64, blank=True)
    address = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )

    class Meta:
        ordering = ["name"]
        permissions = [("manage_members", "Can invite and remove members of the organisation")]

    def __str__(self):
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        ADMIN = "admin", "Organisation admin"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} in {self.organisation} ({self.role})"


class Invitation(models.Model):
    """An organisation admin's invitation for a colleague to join; accepted once, by link."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_email",
            )
        ]

    def __str__(self):
        return f"Invitation of {self.email} to {self.organisation}"


class Team(models.Model):
    """A government team: the licensing unit, or an advisory body consulted on cases."""

    class Kind(models.TextChoices):
        LICENSING = "licensing", "Licensing unit"
        ADVISORY = "advisory", "Advisory body"
        APPEALS = "appeals", "Appeals"
        POLICY = "policy", "Policy"
        AUDIT = "audit", "Audit"

    name = models.CharField(max_length=200, unique=True)
    code = models.SlugField(max_length=50, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)
    group = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team",
        help_text="Mirrors the members; object permissions on cases are granted to this group.",
    )

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

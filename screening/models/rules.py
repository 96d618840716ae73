"""The rule catalogue: rules are data, each row one version of one rule.

Editing a rule creates a new row (version + 1) that supersedes the one it replaces, so a flag
can always name the exact version that raised it. A rule code has at most one live version
(`mode=active`) and at most one pilot version in force at a time; a pilot's flags are shadow
flags that neither score nor route.

Also here: notices of refusals by partner states (which a rule of kind `partner_denial` reads)
and known false matches (a party that an official found is not a listed entry).
"""

from django.conf import settings
from django.db import models
from django_countries.fields import CountryField


class Rule(models.Model):
    class Kind(models.TextChoices):
        PARTY_MATCH = "party_match", "Restricted-party match"
        DESTINATION = "destination", "Destination"
        LICENCE_REQUIREMENT = "licence_requirement", "Licence requirement"
        END_USE = "end_use", "End-use red flags"
        PROVENANCE = "provenance", "Provenance"
        PARTNER_DENIAL = "partner_denial", "Partner denial notice"

    class Mode(models.TextChoices):
        ACTIVE = "active", "Live"
        PILOT = "pilot", "Pilot"

    class Status(models.TextChoices):
        CURRENT = "current", "In force"
        SUPERSEDED = "superseded", "Replaced by a later version"
        RETIRED = "retired", "Retired"
        LAPSED = "lapsed", "Lapsed"

    code = models.SlugField(max_length=60, help_text="Stable across versions, e.g. party-match-un")
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    parameters = models.JSONField(default=dict, blank=True)
    weight = models.PositiveSmallIntegerField(help_text="Points added to the risk score (0-100).")
    public_justification = models.TextField(
        help_text="Why the rule exists, citing its public source. Shown to applicants."
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.ACTIVE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CURRENT)
    effective_from = models.DateField()
    sunset_on = models.DateField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_rules"
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    change_reason = models.TextField(blank=True, help_text="Why this version was made.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="screening_rule_code_version"),
            models.UniqueConstraint(
                fields=["code", "mode"],
                condition=models.Q(status="current"),
                name="screening_rule_one_current_per_mode",
            ),
            models.CheckConstraint(
                condition=models.Q(weight__lte=100), name="screening_rule_weight_at_most_100"
            ),
        ]
        permissions = [
            ("manage_rules", "Can create, edit, pilot and retire rules"),
            ("view_shadow_flags", "Can see pilot rules' shadow flags"),
        ]

    def __str__(self):
        return f"{self.code} v{self.version}"

    @property
    def is_pilot(self) -> bool:
        return self.mode == self.Mode.PILOT


class PartnerDenial(models.Model):
    """A partner state's notice that it refused a licence: an essentially identical
    transaction (same party, same control code) should not be approved here ("no undercut")."""

    partner = CountryField(help_text="The state that refused.")
    reference = models.CharField(max_length=60, help_text="The partner's notice reference.")
    notified_on = models.DateField()
    party_name = models.CharField(max_length=300)
    party_country = CountryField(blank=True)
    party_address = models.TextField(blank=True)
    control_code = models.CharField(max_length=40)
    description = models.TextField(blank=True, help_text="Goods and end use, as notified.")
    reason = models.TextField(blank=True, help_text="The partner's stated grounds.")
    withdrawn_on = models.DateField(null=True, blank=True)
    imported_at = models.DateTimeField()
    source_file = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, help_text="Of the imported file.")

    class Meta:
        ordering = ["-notified_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "reference"], name="screening_partner_denial_reference"
            ),
        ]

    def __str__(self):
        return f"{self.partner.code} {self.reference}"


class KnownFalseMatch(models.Model):
    """An official found that an organisation's party is not this listed entry.

    Later screenings of the same organisation's party (same normalised name and country) do
    not raise the match again, as long as the entry is unchanged (`entry_hash`) and has stayed
    listed since (`listed_in`): a changed entry or a re-listing raises it again.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="known_false_matches"
    )
    party_key = models.CharField(max_length=300, help_text="The party's normalised name.")
    party_country = models.CharField(max_length=2, blank=True)
    list_code = models.CharField(max_length=50)
    entry_id = models.CharField(max_length=100)
    entry_hash = models.CharField(max_length=64, help_text="The entry's content hash.")
    listed_in = models.ForeignKey(
        "screening.ListVersion",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The list version in which the entry was judged a false match.",
    )
    flag = models.ForeignKey(
        "screening.Flag", on_delete=models.PROTECT, related_name="known_false_matches"
    )
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["organisation", "list_code", "entry_id"], name="screening_false_match_idx"
            )
        ]

    def __str__(self):
        return f"{self.party_key} is not {self.list_code}/{self.entry_id}"

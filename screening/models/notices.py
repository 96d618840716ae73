"""Public notices: every change to the rules and the data that screening applies, published
with its date and justification (a page and an Atom feed), and users' opt-in to email.

A notice holds only what may be published: the title, a plain-text summary and the public
justification. Never a rule's weight, parameters or owner.
"""

from django.conf import settings
from django.db import models


class PublicNotice(models.Model):
    class Kind(models.TextChoices):
        RULE_CREATED = "rule_created", "New rule"
        RULE_AMENDED = "rule_amended", "Rule amended"
        RULE_RENEWED = "rule_renewed", "Rule renewed"
        RULE_RETIRED = "rule_retired", "Rule retired"
        RULE_LAPSED = "rule_lapsed", "Rule lapsed"
        PILOT_STARTED = "pilot_started", "Pilot started"
        PILOT_PROMOTED = "pilot_promoted", "Pilot promoted to live"
        LIST_VERSION = "list_version", "New list version"
        CONTROL_DATA = "control_data", "New control data"
        CONTROL_DATA_RENEWED = "control_data_renewed", "Control data renewed"
        CONTROL_DATA_RETIRED = "control_data_retired", "Control data retired"
        CONTROL_DATA_LAPSED = "control_data_lapsed", "Control data lapsed"
        CONSULTATION_OPENED = "consultation_opened", "Consultation opened"
        CONSULTATION_DECIDED = "consultation_decided", "Consultation decided"

    kind = models.CharField(max_length=30, choices=Kind.choices, db_index=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(help_text="What changed, in plain text.")
    justification = models.TextField(help_text="Why it changed (public).")
    published_at = models.DateTimeField(db_index=True)
    rule = models.ForeignKey(
        "screening.Rule",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="public_notices",
    )
    list_version = models.ForeignKey(
        "screening.ListVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="public_notices",
    )
    control_dataset = models.ForeignKey(
        "screening.ControlDataset",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="public_notices",
    )
    consultation = models.ForeignKey(
        "screening.Consultation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="public_notices",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the system published it.",
    )

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


class NoticeSubscription(models.Model):
    """A user's choice to be emailed each public notice (opt-in; `active` False is opted out)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_subscription"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user} ({'subscribed' if self.active else 'unsubscribed'})"

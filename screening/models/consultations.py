"""Public consultations on proposed rule changes.

A policy admin opens a consultation on a proposal (a change to a rule, or a new rule) with a
closing date. Anyone may comment while it is open; each comment waits for moderation and is
published only once a moderator accepts it. After the closing date the admin decides, and the
decision must answer the comments received in a written summary. Opening and deciding each
publish a public notice.
"""

import datetime

from django.conf import settings
from django.db import models


class Consultation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DECIDED = "decided", "Decided"

    class Outcome(models.TextChoices):
        PROCEED = "proceed", "Proceed as proposed"
        PROCEED_CHANGED = "proceed_changed", "Proceed with changes"
        WITHDRAW = "withdraw", "Withdraw the proposal"

    rule = models.ForeignKey(
        "screening.Rule",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
        help_text="The rule version the proposal would change; empty for a new rule.",
    )
    title = models.CharField(max_length=200)
    proposal = models.TextField(help_text="The proposed change, in plain language (public).")
    rationale = models.TextField(help_text="Why the change is proposed (public).")
    opened_at = models.DateTimeField()
    closes_on = models.DateField(help_text="Comments are accepted until the end of this day.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    response_summary = models.TextField(
        blank=True, help_text="The decision's answer to the comments received (public)."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        permissions = [("moderate_consultation", "Can moderate consultation comments")]

    def __str__(self):
        return self.title

    def accepts_comments(self, today: datetime.date) -> bool:
        return self.status == self.Status.OPEN and today <= self.closes_on


class ConsultationComment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Not published"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="comments"
    )
    author_name = models.CharField(
        max_length=120, blank=True, help_text="Published; empty is shown as “Anonymous”."
    )
    organisation_name = models.CharField(max_length=200, blank=True, help_text="Published.")
    email = models.EmailField(blank=True, help_text="Never published.")
    body = models.TextField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Set when the commenter was signed in.",
    )
    submitted_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.TextField(
        blank=True, help_text="Why a comment was not published (published in place of it)."
    )

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self):
        return f"Comment {self.pk} on {self.consultation}"

"""Sunset reviews: before the sunset date of a rule version or a control dataset, a policy admin
decides whether to renew, amend or retire it (or, for a pilot rule, promote it to live). A rule
version or dataset whose sunset passes with no decision lapses.

A review is about exactly one subject (a rule version or a control dataset); at most one review
per subject is open at a time. Country restrictions are rules (kind `destination`), so they are
reviewed as rules.
"""

from django.conf import settings
from django.db import models


class SunsetReview(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DECIDED = "decided", "Decided"
        LAPSED = "lapsed", "Lapsed: no decision before the sunset"

    class Decision(models.TextChoices):
        RENEW = "renew", "Renew"
        AMEND = "amend", "Amend (new version)"
        RETIRE = "retire", "Retire"
        PROMOTE = "promote", "Promote the pilot to live"

    rule = models.ForeignKey(
        "screening.Rule",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sunset_reviews",
    )
    control_dataset = models.ForeignKey(
        "screening.ControlDataset",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sunset_reviews",
    )
    opened_on = models.DateField()
    due_on = models.DateField(help_text="The subject's sunset date when the review opened.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    justification = models.TextField(blank=True)
    new_sunset_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(rule__isnull=False, control_dataset__isnull=True)
                    | models.Q(rule__isnull=True, control_dataset__isnull=False)
                ),
                name="screening_sunset_review_one_subject",
            ),
            models.UniqueConstraint(
                fields=["rule"],
                condition=models.Q(status="open", rule__isnull=False),
                name="screening_sunset_review_one_open_per_rule",
            ),
            models.UniqueConstraint(
                fields=["control_dataset"],
                condition=models.Q(status="open", control_dataset__isnull=False),
                name="screening_sunset_review_one_open_per_dataset",
            ),
        ]

    def __str__(self):
        return f"Sunset review of {self.subject} (due {self.due_on})"

    @property
    def subject(self):
        """The rule version or control dataset under review."""
        return self.rule if self.rule_id is not None else self.control_dataset

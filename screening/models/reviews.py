"""Sunset reviews: before a rule version's sunset date a policy admin decides whether to renew,
amend or retire it. A version whose sunset passes with no decision lapses.

At most one review per rule version is open at a time.
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

    rule = models.ForeignKey(
        "screening.Rule", on_delete=models.PROTECT, related_name="sunset_reviews"
    )
    opened_on = models.DateField()
    due_on = models.DateField(help_text="The rule version's sunset date when the review opened.")
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
            models.UniqueConstraint(
                fields=["rule"],
                condition=models.Q(status="open"),
                name="screening_sunset_review_one_open_per_rule",
            ),
        ]

    def __str__(self):
        return f"Sunset review of {self.rule} (due {self.due_on})"

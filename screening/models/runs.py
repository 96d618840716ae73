"""Screening runs, their flags, and background re-screening batches.

A ScreeningRun is one assessment of one application (or of the application behind an active
licence) by every rule in force. It records exactly which rule versions, list versions and
control datasets it used. The service creates the run (status `queued`) in the same transaction
that queues the task, and the task passes its id: a redelivered task finds the run, and a run
that is already finished is left alone.

A Flag is one rule's hit. `fingerprint` names what was hit (rule code and subject), so a
re-screen raises a flag only for hits the application has not been flagged for before, and the
unique constraint makes a duplicate impossible. Flags of pilot rules are `shadow` flags: they
neither score nor route, and only policy admins see them.
"""

from django.conf import settings
from django.db import models


class RescreenBatch(models.Model):
    """Re-screening of every open case and active licence after a list or rule changed."""

    class Trigger(models.TextChoices):
        LIST_VERSION = "list_version", "New list version"
        RULE_VERSION = "rule_version", "New rule version"
        CONTROL_DATA = "control_data", "New control data"
        MANUAL = "manual", "Requested by an administrator"

    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    list_version = models.ForeignKey(
        "screening.ListVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rescreens",
    )
    rule = models.ForeignKey(
        "screening.Rule", null=True, blank=True, on_delete=models.PROTECT, related_name="rescreens"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "rescreen batches"

    def __str__(self):
        return f"Re-screen {self.pk} ({self.get_trigger_display()})"


class ScreeningRun(models.Model):
    class Trigger(models.TextChoices):
        SUBMISSION = "submission", "Submission"
        AMENDMENT = "amendment", "Amendment"
        RESCREEN = "rescreen", "Re-screen"
        RETRY = "retry", "Retry after failure"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    application = models.ForeignKey(
        "licensing.Application", on_delete=models.CASCADE, related_name="screening_runs"
    )
    licence = models.ForeignKey(
        "licensing.Licence",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="screening_runs",
        help_text="Set when an active licence is re-screened.",
    )
    batch = models.ForeignKey(
        RescreenBatch, null=True, blank=True, on_delete=models.CASCADE, related_name="runs"
    )
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    queued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    rule_versions = models.ManyToManyField("screening.Rule", blank=True, related_name="runs")
    list_versions = models.ManyToManyField("screening.ListVersion", blank=True, related_name="+")
    control_datasets = models.ManyToManyField(
        "screening.ControlDataset", blank=True, related_name="+"
    )
    risk_score = models.PositiveSmallIntegerField(null=True, blank=True)
    tier = models.CharField(max_length=10, blank=True)
    flag_count = models.PositiveIntegerField(default=0)
    shadow_flag_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-queued_at", "-id"]
        indexes = [
            models.Index(fields=["status", "queued_at"], name="screening_run_status_idx"),
            models.Index(fields=["application", "-queued_at"], name="screening_run_app_idx"),
            models.Index(fields=["batch", "status"], name="screening_run_batch_idx"),
        ]

    def __str__(self):
        return f"Screening run {self.pk} of {self.application}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.FAILED)


class Flag(models.Model):
    class Disposition(models.TextChoices):
        PENDING = "pending", "Awaiting an official"
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Dismissed"

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="flags")
    application = models.ForeignKey(
        "licensing.Application", on_delete=models.CASCADE, related_name="flags"
    )
    licence = models.ForeignKey(
        "licensing.Licence", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    rule = models.ForeignKey("screening.Rule", on_delete=models.PROTECT, related_name="flags")
    shadow = models.BooleanField(default=False, help_text="Raised by a pilot rule.")
    weight = models.PositiveSmallIntegerField(default=0)
    fingerprint = models.CharField(
        max_length=200, help_text="What was hit: the rule code and the subject."
    )
    party = models.ForeignKey(
        "licensing.Party", null=True, blank=True, on_delete=models.SET_NULL, related_name="flags"
    )
    item = models.ForeignKey(
        "licensing.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="flags"
    )
    summary = models.CharField(max_length=500, help_text="One line for officials.")
    evidence = models.JSONField(default=dict, blank=True, help_text="Why the rule hit.")
    list_version = models.ForeignKey(
        "screening.ListVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For party matches: the list version of the matched entry.",
    )
    data_versions = models.JSONField(
        default=dict, blank=True, help_text="The list and control data versions the run used."
    )
    disposition = models.CharField(
        max_length=20, choices=Disposition.choices, default=Disposition.PENDING
    )
    disposition_reason = models.TextField(blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disposed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-weight", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "fingerprint"], name="screening_flag_unique_per_run"
            ),
        ]
        indexes = [
            models.Index(fields=["application", "disposition"], name="screening_flag_app_idx"),
            models.Index(fields=["rule", "disposition"], name="screening_flag_rule_idx"),
        ]
        permissions = [("dispose_flag", "Can confirm or dismiss flags")]

    def __str__(self):
        return f"{self.rule} on {self.application}"

    @property
    def is_pending(self) -> bool:
        return self.disposition == self.Disposition.PENDING

"""Appeals: an applicant's recourse to an independent reviewer.

What can be appealed (`Appeal.Subject`): a refusal, a licence's revocation or suspension, one
condition on a licence, and a confirmed restricted-party match on one of the applicant's
parties. The workflow is declared here as django-fsm-2 transitions on `Appeal.status`; the
services in appeals/services.py lock the row, check the actor (and the reviewer's
independence), call the transition, save, audit and notify.

    draft -> lodged -> under_review <-> info_requested -> upheld | overturned | remitted
    draft -> late_review -> lodged | late_rejected        (filed after the window)
    withdrawn from any state before a decision
"""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition

from licensing.models import InformationRequestBase


class Appeal(FSMModelMixin, models.Model):
    class Subject(models.TextChoices):
        REFUSAL = "refusal", "Refusal of a licence"
        REVOCATION = "revocation", "Revocation of a licence"
        SUSPENSION = "suspension", "Suspension of a licence"
        CONDITION = "condition", "A condition on a licence"
        MATCH = "match", "A restricted-party match on one of your parties"

    class Ground(models.TextChoices):
        FACTUAL_ERROR = "factual_error", "The decision rests on a factual error"
        NEW_INFORMATION = "new_information", "There is new information"
        DISPROPORTIONATE_CONDITION = "disproportionate_condition", "A condition is disproportionate"
        MISTAKEN_IDENTITY = "mistaken_identity", "Mistaken identity: this is not the listed party"
        PROCEDURAL_UNFAIRNESS = "procedural_unfairness", "The procedure was unfair"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LATE_REVIEW = "late_review", "Late: reason for lateness under review"
        LATE_REJECTED = "late_rejected", "Late: not accepted"
        LODGED = "lodged", "Lodged"
        UNDER_REVIEW = "under_review", "Under review"
        INFO_REQUESTED = "info_requested", "Information requested"
        UPHELD = "upheld", "Decided: original decision upheld"
        OVERTURNED = "overturned", "Decided: original decision overturned"
        REMITTED = "remitted", "Decided: sent back for a fresh review"
        WITHDRAWN = "withdrawn", "Withdrawn"

    BEFORE_DECISION = [
        Status.DRAFT,
        Status.LATE_REVIEW,
        Status.LODGED,
        Status.UNDER_REVIEW,
        Status.INFO_REQUESTED,
    ]
    DECIDED = [Status.UPHELD, Status.OVERTURNED, Status.REMITTED]

    reference = models.CharField(max_length=20, unique=True)
    subject = models.CharField(max_length=20, choices=Subject.choices)
    status = FSMField(max_length=20, choices=Status.choices, default=Status.DRAFT, protected=True)
    # What is appealed: always the original case, and the licence, condition or flag concerned.
    application = models.ForeignKey(
        "licensing.Application", on_delete=models.PROTECT, related_name="appeals"
    )
    licence = models.ForeignKey(
        "licensing.Licence", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    condition_text = models.TextField(blank=True, help_text="The condition appealed, as issued.")
    flag = models.ForeignKey(
        "screening.Flag", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="appeals"
    )
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals"
    )
    # The appellant's case.
    grounds = models.JSONField(default=list, blank=True, help_text="Ground codes.")
    statement = models.TextField(blank=True)
    unsaved_input = models.JSONField(default=dict, blank=True)
    # The filing window: from the decision notice, settings.APPEALS_WINDOW_DAYS calendar days.
    notice_at = models.DateTimeField(help_text="When the decision appealed was notified.")
    filing_deadline = models.DateField(help_text="The last day to appeal in time.")
    lodged_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField(default=False)
    lateness_reason = models.TextField(blank=True)
    lateness_decision_reason = models.TextField(blank=True)
    # The review.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals_reviewed",
    )
    deadline_on = models.DateField(null=True, blank=True, db_index=True)
    clock_paused_since = models.DateField(null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(default=0)
    # The decision, published to the appellant.
    decision_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    involved_rules = models.ManyToManyField(
        "screening.Rule",
        blank=True,
        related_name="appeals",
        help_text="The rule versions whose flags were part of the decision appealed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("review_appeal", "Can review and decide appeals"),
            ("assign_appeal", "Can assign appeals to reviewers"),
        ]
        indexes = [models.Index(fields=["status", "deadline_on"], name="appeal_queue_idx")]

    def __str__(self):
        return self.reference

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECIDED

    @property
    def clock_paused(self) -> bool:
        return self.clock_paused_since is not None

    @transition(field=status, source=Status.DRAFT, target=Status.LODGED)
    def lodge(self):
        pass

    @transition(field=status, source=Status.DRAFT, target=Status.LATE_REVIEW)
    def lodge_late(self):
        pass

    @transition(field=status, source=Status.LATE_REVIEW, target=Status.LODGED)
    def accept_lateness(self):
        pass

    @transition(field=status, source=Status.LATE_REVIEW, target=Status.LATE_REJECTED)
    def reject_lateness(self):
        pass

    @transition(field=status, source=Status.LODGED, target=Status.UNDER_REVIEW)
    def start_review(self):
        pass

    @transition(field=status, source=Status.UNDER_REVIEW, target=Status.INFO_REQUESTED)
    def request_information(self):
        pass

    @transition(field=status, source=Status.INFO_REQUESTED, target=Status.UNDER_REVIEW)
    def receive_information(self):
        pass

    @transition(field=status, source=Status.UNDER_REVIEW, target=Status.UPHELD)
    def uphold(self):
        pass

    @transition(field=status, source=Status.UNDER_REVIEW, target=Status.OVERTURNED)
    def overturn(self):
        pass

    @transition(field=status, source=Status.UNDER_REVIEW, target=Status.REMITTED)
    def remit(self):
        pass

    @transition(field=status, source=BEFORE_DECISION, target=Status.WITHDRAWN)
    def withdraw(self):
        pass


class AppealDocument(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="documents")
    information_request = models.ForeignKey(
        "AppealInformationRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    file = models.FileField(upload_to="appeals/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class AppealInformationRequest(InformationRequestBase):
    """The reviewer's question to the appellant; the appeal's deadline clock pauses meanwhile."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="information_requests"
    )

    def __str__(self):
        return f"Request on {self.appeal}"

"""Licence applications, their items, parties and documents, the case workflow, and licences.

The workflow of DESIGN.md is declared here as django-fsm-2 transitions on `Application.status`
and `Licence.status`. Transition bodies stay empty: services in `licensing/services/` lock the
row, check the actor, call the transition, save, audit and queue side effects.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django_countries.fields import CountryField
from django_fsm import FSMField, FSMModelMixin, transition

from exportgov.accounts.models import Organisation, Team


class Tier(models.TextChoices):
    """Review depth: low (one officer), medium (officer and senior), high (advice, four eyes)."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Application(FSMModelMixin, models.Model):
    class Kind(models.TextChoices):
        GOODS = "goods", "Goods and software"
        TECHNOLOGY = "technology", "Technology and know-how transfer"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        SCREENING = "screening", "Screening"
        SCREENING_FAILED = "screening_failed", "Screening failed"
        TRIAGE = "triage", "Awaiting triage"
        UNDER_REVIEW = "under_review", "Under review"
        INFO_REQUESTED = "info_requested", "Information requested"
        IN_CONSULTATION = "in_consultation", "In consultation"
        RECOMMENDED = "recommended", "Recommended"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class KnownFor(models.TextChoices):
        NEW = "new", "A new customer (less than a year)"
        ONE_TO_FIVE = "1-5", "One to five years"
        OVER_FIVE = "5+", "More than five years"

    BEFORE_DECISION = [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.SCREENING,
        Status.SCREENING_FAILED,
        Status.TRIAGE,
        Status.UNDER_REVIEW,
        Status.INFO_REQUESTED,
        Status.IN_CONSULTATION,
        Status.RECOMMENDED,
    ]

    reference = models.CharField(max_length=20, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GOODS)
    status = FSMField(max_length=20, choices=Status.choices, default=Status.DRAFT, protected=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    amends_licence = models.ForeignKey(
        "Licence", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments"
    )

    # Step 1: applicant details (the organisation is the applicant; this is who to contact).
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    title = models.CharField(
        max_length=200, blank=True, help_text="A short name for this application."
    )

    # Step 4: end use.
    end_use_statement = models.TextField(blank=True)
    military_end_use = models.BooleanField(null=True, blank=True)
    wmd_end_use = models.BooleanField(null=True, blank=True)
    reexport_intended = models.BooleanField(null=True, blank=True)
    end_user_known_for = models.CharField(max_length=10, choices=KnownFor.choices, blank=True)

    # Step 6: due-diligence (know-your-customer) answers, {question code: answer}.
    due_diligence = models.JSONField(default=dict, blank=True)

    # Step 7: declaration.
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(null=True, blank=True)

    # What a user typed that did not validate yet, per step, so nothing entered is lost.
    unsaved_input = models.JSONField(default=dict, blank=True)

    # The case.
    tier = models.CharField(max_length=10, choices=Tier.choices, blank=True)
    risk_score = models.PositiveSmallIntegerField(null=True, blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    deadline_on = models.DateField(null=True, blank=True, db_index=True)
    clock_paused_since = models.DateField(null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(default=0)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("review_application", "Can work cases: claim, request information, refer, recommend"),
            ("decide_application", "Can decide cases"),
            ("give_advice", "Can give advice on cases referred to their advisory body"),
        ]
        indexes = [
            models.Index(fields=["status", "deadline_on"], name="application_queue_idx"),
            models.Index(fields=["organisation", "status"], name="application_org_idx"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.REFUSED)

    @property
    def decision(self) -> "Decision | None":
        """The decision in force (an appeal may have superseded an earlier one)."""
        return self.decisions.filter(superseded_at__isnull=True).first()

    @property
    def exporter_status_display(self) -> str:
        """The status as the exporter reads it: a failed screening is the office's problem,
        so the exporter sees that checks are still under way."""
        if self.status == self.Status.SCREENING_FAILED:
            return "Being checked"
        return self.get_status_display()

    @property
    def clock_paused(self) -> bool:
        return self.clock_paused_since is not None

    @transition(field=status, source=Status.DRAFT, target=Status.SUBMITTED)
    def submit(self):
        pass

    @transition(field=status, source=Status.SUBMITTED, target=Status.SCREENING)
    def start_screening(self):
        pass

    @transition(field=status, source=Status.SCREENING, target=Status.TRIAGE)
    def finish_screening(self):
        pass

    @transition(field=status, source=Status.SCREENING, target=Status.SCREENING_FAILED)
    def fail_screening(self):
        pass

    @transition(field=status, source=Status.SCREENING_FAILED, target=Status.SCREENING)
    def retry_screening(self):
        pass

    @transition(field=status, source=Status.TRIAGE, target=Status.UNDER_REVIEW)
    def start_review(self):
        pass

    @transition(field=status, source=Status.UNDER_REVIEW, target=Status.INFO_REQUESTED)
    def request_information(self):
        pass

    @transition(field=status, source=Status.INFO_REQUESTED, target=Status.UNDER_REVIEW)
    def receive_information(self):
        pass

    @transition(field=status, source=Status.UNDER_REVIEW, target=Status.IN_CONSULTATION)
    def refer(self):
        pass

    @transition(field=status, source=Status.IN_CONSULTATION, target=Status.UNDER_REVIEW)
    def end_consultation(self):
        pass

    @transition(field=status, source=Status.UNDER_REVIEW, target=Status.RECOMMENDED)
    def recommend(self):
        pass

    @transition(field=status, source=Status.RECOMMENDED, target=Status.UNDER_REVIEW)
    def return_for_review(self):
        pass

    @transition(field=status, source=Status.RECOMMENDED, target=Status.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=Status.RECOMMENDED, target=Status.REFUSED)
    def refuse(self):
        pass

    @transition(field=status, source=BEFORE_DECISION, target=Status.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=status, source=Status.REFUSED, target=Status.APPROVED)
    def approve_on_appeal(self):
        pass

    @transition(field=status, source=Status.REFUSED, target=Status.UNDER_REVIEW)
    def reopen_on_appeal(self):
        pass


class Item(models.Model):
    """A good, piece of software or technology to be exported."""

    class Unit(models.TextChoices):
        ITEMS = "items", "Items"
        KG = "kg", "Kilograms"
        LITRES = "l", "Litres"
        LICENCES = "licences", "Software licences"
        HOURS = "hours", "Hours of assistance"
        TRANSFERS = "transfers", "Transfers"

    class TransferForm(models.TextChoices):
        ELECTRONIC = "electronic", "Electronic transfer (email, cloud, repository)"
        VISIT = "visit", "Visiting researcher or staff visit"
        TRAINING = "training", "Training or technical assistance"
        COLLABORATION = "collaboration", "Research collaboration"
        PUBLICATION = "publication", "Conference or publication"
        PHYSICAL = "physical", "Physical media"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="items")
    description = models.CharField(max_length=300)
    control_code = models.CharField(max_length=40, blank=True, help_text="e.g. 3A001.b.2 or EAR99")
    classification_unknown = models.BooleanField(default=False)
    technical_description = models.TextField(blank=True)
    quantity = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    unit = models.CharField(max_length=12, choices=Unit.choices, default=Unit.ITEMS)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="GBP")
    transfer_form = models.CharField(max_length=20, choices=TransferForm.choices, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.description


class Party(models.Model):
    class Role(models.TextChoices):
        CONSIGNEE = "consignee", "Consignee"
        END_USER = "end_user", "End user"
        ULTIMATE_END_USER = "ultimate_end_user", "Ultimate end user"
        INTERMEDIATE_CONSIGNEE = "intermediate_consignee", "Intermediate consignee"
        THIRD_PARTY = "third_party", "Third party"

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        COMPANY = "company", "Company"
        RESEARCH = "research", "Research institution"
        GOVERNMENT = "government", "Government"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=30, choices=Role.choices)
    name = models.CharField(max_length=300)
    aliases = models.TextField(blank=True, help_text="Other names, one per line.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    address = models.TextField(blank=True)
    country = CountryField()
    website = models.URLField(blank=True)
    undertaking = models.ForeignKey(
        "Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The end-user undertaking, where one is required.",
    )

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "parties"

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class Document(models.Model):
    class Kind(models.TextChoices):
        END_USER_UNDERTAKING = "undertaking", "End-user undertaking"
        TECHNICAL = "technical", "Technical specification"
        CONTRACT = "contract", "Contract or order"
        INFORMATION = "information", "Information requested"
        OTHER = "other", "Other"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    information_request = models.ForeignKey(
        "InformationRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(upload_to="applications/%Y/%m/")
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


class CaseNote(models.Model):
    """A note between officials; never shown to the exporter."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Note on {self.application}"


class InformationRequestBase(models.Model):
    """A question to the applicant or appellant, and its answer; a case's or an appeal's
    deadline clock pauses while it is open (appeals.AppealInformationRequest shares it)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class InformationRequest(InformationRequestBase):
    """An official's question to the exporter; the deadline clock pauses while it is open."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="information_requests"
    )

    def __str__(self):
        return f"Request on {self.application}"


class Consultation(models.Model):
    """A referral of a case to an advisory body, with a question."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consultations"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="consultations")
    question = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.team} on {self.application}"


class Advice(models.Model):
    """An advisory body's answer. Immutable: a revision is a new record that supersedes it."""

    class Outcome(models.TextChoices):
        NO_OBJECTION = "no_objection", "No objection"
        CONDITIONS = "conditions", "No objection, with conditions"
        OBJECTION = "objection", "Objection"

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="advice")
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    rationale = models.TextField()
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "advice"

    def __str__(self):
        return f"{self.get_outcome_display()} from {self.consultation.team}"


class LicenceCondition(models.Model):
    """The managed catalogue of conditions an approval can carry."""

    code = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    text = models.TextField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.title


class RefusalCriterion(models.Model):
    """The managed catalogue of published grounds on which a licence can be refused."""

    code = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="The public text shown to a refused applicant.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "refusal criteria"

    def __str__(self):
        return self.title


class Outcome(models.TextChoices):
    APPROVE = "approve", "Approve"
    REFUSE = "refuse", "Refuse"


class Recommendation(models.Model):
    """A case officer's recommendation; the latest one is what the senior official decides on."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="recommendations"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    conditions = models.ManyToManyField(LicenceCondition, blank=True, related_name="+")
    custom_conditions = models.TextField(blank=True, help_text="Further conditions, one per line.")
    refusal_criteria = models.ManyToManyField(RefusalCriterion, blank=True, related_name="+")
    explanation = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_outcome_display()} {self.application}"


class Decision(models.Model):
    """A decision on a case. A case has one decision in force (`superseded_at` empty), enforced
    by the database; an appeal that overturns or remits a refusal supersedes it."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    recommendation = models.ForeignKey(
        Recommendation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for a decision made by an appeal.",
    )
    on_appeal = models.CharField(
        max_length=30, blank=True, help_text="The reference of the appeal that made this decision."
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    conditions = models.JSONField(default=list, blank=True, help_text="Condition texts, as issued.")
    grounds = models.JSONField(default=list, blank=True, help_text="Refusal grounds, as published.")
    explanation = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(superseded_at__isnull=True),
                name="licensing_one_decision_in_force",
            ),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} {self.application}"


class Licence(FSMModelMixin, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        EXPIRED = "expired", "Expired"
        EXHAUSTED = "exhausted", "Exhausted"
        REVOKED = "revoked", "Revoked"
        SUPERSEDED = "superseded", "Superseded by an amendment"

    number = models.CharField(max_length=30, unique=True)
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="licence"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="licences"
    )
    status = FSMField(max_length=20, choices=Status.choices, default=Status.ACTIVE, protected=True)
    conditions = models.JSONField(default=list, blank=True)
    issued_at = models.DateTimeField()
    expires_on = models.DateField()
    status_reason = models.TextField(
        blank=True, help_text="Grounds of the last suspension or revocation."
    )

    class Meta:
        ordering = ["-issued_at"]
        permissions = [("manage_licence", "Can suspend, reinstate and revoke licences")]

    def __str__(self):
        return self.number

    @transition(field=status, source=Status.ACTIVE, target=Status.SUSPENDED)
    def suspend(self):
        pass

    @transition(field=status, source=Status.SUSPENDED, target=Status.ACTIVE)
    def reinstate(self):
        pass

    @transition(field=status, source=[Status.ACTIVE, Status.SUSPENDED], target=Status.REVOKED)
    def revoke(self):
        pass

    @transition(field=status, source=[Status.ACTIVE, Status.SUSPENDED], target=Status.EXPIRED)
    def expire(self):
        pass

    @transition(field=status, source=Status.ACTIVE, target=Status.EXHAUSTED)
    def exhaust(self):
        pass

    @transition(field=status, source=[Status.ACTIVE, Status.SUSPENDED], target=Status.SUPERSEDED)
    def supersede(self):
        pass

    @transition(field=status, source=Status.REVOKED, target=Status.ACTIVE)
    def restore_on_appeal(self):
        pass


class LicenceItem(models.Model):
    """What a licence allows, and how much of it has been shipped."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=300)
    control_code = models.CharField(max_length=40, blank=True)
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    unit = models.CharField(max_length=12, choices=Item.Unit.choices)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3)
    shipped_quantity = models.DecimalField(max_digits=14, decimal_places=3, default=Decimal(0))
    shipped_value = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shipped_quantity__lte=models.F("quantity")),
                name="licence_item_quantity_within_licence",
            ),
            models.CheckConstraint(
                condition=models.Q(shipped_value__lte=models.F("value")),
                name="licence_item_value_within_licence",
            ),
        ]

    def __str__(self):
        return self.description

    @property
    def remaining_quantity(self) -> Decimal:
        return self.quantity - self.shipped_quantity

    @property
    def remaining_value(self) -> Decimal:
        return self.value - self.shipped_value

    @property
    def is_used_up(self) -> bool:
        return self.remaining_quantity <= 0 or self.remaining_value <= 0


class Shipment(models.Model):
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="shipments")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shipped_on = models.DateField()
    reference = models.CharField(
        max_length=100, blank=True, help_text="Your own reference, e.g. an invoice."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-shipped_on", "-id"]

    def __str__(self):
        return f"Shipment on {self.licence}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    licence_item = models.ForeignKey(
        LicenceItem, on_delete=models.PROTECT, related_name="shipment_lines"
    )
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    value = models.DecimalField(max_digits=14, decimal_places=2)

    def __str__(self):
        return f"{self.quantity} of {self.licence_item}"

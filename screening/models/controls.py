"""Control data: the lists of controlled goods and the rules on where they may go.

Each import of one published file is a ControlDataset (source, issue date, sha256); exactly one
dataset of each kind is active. The rows of a dataset are never edited: a new edition of the
file is a new dataset, so every determination and flag can name the data that produced it.

- CCL and EU Annex I files become ControlEntry rows (one per ECCN or Annex I entry), the CCL
  ones with their LicenceRequirement rows (reason for control -> Country Chart column).
- The Commerce Country Chart becomes CountryChartRow rows (marks and footnotes per country).
- The Country Groups file becomes CountryGroupMembership rows.
- The licence-exception catalogue becomes LicenceException rows.
Dataset-wide facts (column labels, footnote texts, aliases, territory rules) stay in
`ControlDataset.payload`, as the publisher gave them.
"""

from django.conf import settings
from django.db import models


class ControlDataset(models.Model):
    class Kind(models.TextChoices):
        CCL = "ccl", "US Commerce Control List"
        COUNTRY_CHART = "country_chart", "US Commerce Country Chart"
        COUNTRY_GROUPS = "country_groups", "US Country Groups"
        LICENCE_EXCEPTIONS = "licence_exceptions", "US licence exceptions"
        EU_ANNEX = "eu_annex", "EU dual-use list (Annex I)"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUPERSEDED = "superseded", "Superseded"
        RETIRED = "retired", "Retired after a sunset review"
        LAPSED = "lapsed", "Lapsed: its sunset passed with no review decision"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    citation = models.CharField(max_length=300, help_text="e.g. 15 C.F.R. Part 774, Supp. 1")
    source_url = models.URLField(max_length=500, blank=True)
    issue_date = models.DateField(help_text="The edition of the regulation the file holds.")
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    row_count = models.PositiveIntegerField(default=0)
    needs_review_count = models.PositiveIntegerField(
        default=0, help_text="Rows kept with their raw text because they could not be parsed."
    )
    payload = models.JSONField(default=dict, blank=True, help_text="Dataset-wide facts.")
    # Governance (sunset reviews): control data lapses unless a review renews it.
    effective_from = models.DateField(null=True, blank=True)
    sunset_on = models.DateField(null=True, blank=True)
    justification = models.TextField(blank=True, help_text="Why this data is applied (public).")

    class Meta:
        ordering = ["kind", "-imported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(status="active"),
                name="screening_one_active_control_dataset_per_kind",
            ),
        ]
        permissions = [("import_controldataset", "Can import control data")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.issue_date:%Y-%m-%d})"

    @property
    def version_label(self) -> str:
        return f"{self.kind}:{self.issue_date:%Y-%m-%d}#{self.sha256[:12]}"


class ControlEntry(models.Model):
    """One entry of a control list: an ECCN of the CCL or an entry of EU Annex I."""

    dataset = models.ForeignKey(ControlDataset, on_delete=models.CASCADE, related_name="entries")
    code = models.CharField(max_length=40, help_text="e.g. 3A001")
    category = models.CharField(max_length=10, blank=True)
    product_group = models.CharField(max_length=10, blank=True)
    heading = models.TextField(blank=True)
    reasons = models.JSONField(
        default=list, blank=True, help_text='Normalised reasons for control, e.g. ["NS", "AT"].'
    )
    reasons_raw = models.TextField(blank=True, help_text="The reasons as the publisher wrote them.")
    text = models.TextField(blank=True, help_text="The items paragraph text, where published.")
    details = models.JSONField(default=dict, blank=True, help_text="Other published attributes.")

    class Meta:
        ordering = ["dataset", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "code"], name="screening_control_entry_unique_per_dataset"
            ),
        ]
        verbose_name_plural = "control entries"

    def __str__(self):
        return self.code


class LicenceRequirement(models.Model):
    """One row of an ECCN's License Requirements table.

    Rows that name a Country Chart column ("NS Column 1") get `reason` "NS1" and `column`
    "NS 1". Rows that point elsewhere (a section of the regulation, "any destination
    worldwide", Country Group rules) keep their raw text with `needs_review` set.
    """

    entry = models.ForeignKey(ControlEntry, on_delete=models.CASCADE, related_name="requirements")
    position = models.PositiveSmallIntegerField(default=0)
    reason = models.CharField(max_length=10, blank=True, help_text='e.g. "NS1"; blank if unknown')
    column = models.CharField(max_length=10, blank=True, help_text='Chart column, e.g. "NS 1"')
    scope = models.TextField(blank=True, help_text="What the row applies to, as published.")
    chart_text = models.TextField(blank=True, help_text="The Country Chart cell, as published.")
    needs_review = models.BooleanField(default=False)

    class Meta:
        ordering = ["entry", "position"]

    def __str__(self):
        return f"{self.entry.code} {self.reason or 'needs review'}"


class CountryChartRow(models.Model):
    """One destination's row of the Commerce Country Chart."""

    dataset = models.ForeignKey(ControlDataset, on_delete=models.CASCADE, related_name="chart_rows")
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    name = models.CharField(max_length=100, help_text="The row's name in the chart.")
    marks = models.JSONField(default=list, blank=True, help_text='Columns with an X: ["NS 1"]')
    footnotes = models.JSONField(default=list, blank=True, help_text="Footnote numbers.")
    embargo_pointer = models.TextField(
        blank=True, help_text="For embargoed destinations, where the chart sends the reader."
    )

    class Meta:
        ordering = ["dataset", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "country"], name="screening_chart_row_unique_per_dataset"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_embargoed(self) -> bool:
        return bool(self.embargo_pointer)


class CountryGroupMembership(models.Model):
    dataset = models.ForeignKey(
        ControlDataset, on_delete=models.CASCADE, related_name="group_memberships"
    )
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    group = models.CharField(max_length=10, help_text='e.g. "A:1", "D:5", "E:1"')

    class Meta:
        ordering = ["dataset", "group", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "country", "group"],
                name="screening_country_group_unique_per_dataset",
            ),
        ]
        indexes = [models.Index(fields=["dataset", "country"], name="screening_group_country_idx")]

    def __str__(self):
        return f"{self.country} in {self.group}"


class LicenceException(models.Model):
    dataset = models.ForeignKey(
        ControlDataset, on_delete=models.CASCADE, related_name="licence_exceptions"
    )
    symbol = models.CharField(max_length=10, help_text='e.g. "LVS"')
    section = models.CharField(max_length=20, help_text='e.g. "740.3"')
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["dataset", "section", "symbol"]

    def __str__(self):
        return f"{self.symbol} ({self.section})"

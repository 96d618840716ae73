"""Restricted-party lists: each import of a publisher's file(s) is a ListVersion of a
ListSource, holding the entries exactly as the publisher listed them, normalised into one shape.

The matching engine loads one version at a time: `EntryName.version` is denormalised so that
all names of a version come out of one indexed query, without joining the entries.
Nothing happens in save(); screening.services.list_version_import writes all of this.
"""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition


class Schema(models.TextChoices):
    """What kind of party an entry is."""

    PERSON = "person", "Person"
    ENTITY = "entity", "Entity"
    VESSEL = "vessel", "Vessel"
    AIRCRAFT = "aircraft", "Aircraft"
    UNKNOWN = "unknown", "Unknown"


class ListSource(models.Model):
    """One list of one publisher, e.g. OFAC's SDN list or the UN Security Council list."""

    code = models.SlugField(max_length=50, unique=True, help_text="e.g. us_ofac_sdn")
    name = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200)
    fetch_url = models.URLField(
        max_length=500, blank=True, help_text="Where the scheduled fetch downloads the list."
    )

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.name


class ListVersion(FSMModelMixin, models.Model):
    """One import of a source's file(s). Exactly one version per source is active."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUPERSEDED = "superseded", "Superseded"

    source = models.ForeignKey(ListSource, on_delete=models.PROTECT, related_name="versions")
    status = FSMField(max_length=20, choices=Status.choices, default=Status.ACTIVE, protected=True)
    format = models.CharField(max_length=30, help_text="The importer that read the file(s).")
    publisher_date = models.DateField(
        null=True, blank=True, help_text="The date the publisher gives the list, if it gives one."
    )
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the system imported it (command or scheduled fetch).",
    )
    sha256 = models.CharField(
        max_length=64, db_index=True, help_text="SHA-256 over the input files' own SHA-256s."
    )
    files = models.JSONField(default=list, help_text='[{"name", "sha256", "size"}] per file.')
    entry_count = models.PositiveIntegerField(default=0)
    alias_count = models.PositiveIntegerField(default=0)
    address_count = models.PositiveIntegerField(default=0)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The version that was active before this one; the differences are against it.",
    )
    added_count = models.PositiveIntegerField(default=0)
    removed_count = models.PositiveIntegerField(default=0)
    changed_count = models.PositiveIntegerField(default=0)
    stats = models.JSONField(default=dict, blank=True, help_text="What the importer counted.")

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=models.Q(status="active"),
                name="screening_one_active_version_per_source",
            ),
        ]
        indexes = [
            models.Index(fields=["source", "-imported_at"], name="screening_version_source_idx")
        ]
        permissions = [
            ("import_listversion", "Can import a new version of a list"),
            ("search_lists", "Can search the restricted-party lists"),
        ]

    def __str__(self):
        return f"{self.source.code} {self.imported_at:%Y-%m-%d %H:%M}"

    @property
    def file_names(self) -> list[str]:
        return [file["name"] for file in self.files]

    @transition(field=status, source=Status.ACTIVE, target=Status.SUPERSEDED)
    def supersede(self):
        pass


class ListEntry(models.Model):
    """One listed party, as the publisher listed it in one version."""

    # Indexed by the unique constraint (version, entry_id).
    version = models.ForeignKey(
        ListVersion, on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    entry_id = models.CharField(max_length=100, help_text="The publisher's id of the entry.")
    schema = models.CharField(max_length=10, choices=Schema.choices)
    primary_name = models.TextField()
    programmes = models.JSONField(default=list, blank=True)
    countries = models.JSONField(default=list, blank=True, help_text="ISO 3166-1 alpha-2.")
    dates_of_birth = models.JSONField(
        default=list, blank=True, help_text="Partial dates: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    identifiers = models.JSONField(default=list, blank=True, help_text='[{"type", "value", ...}]')
    addresses = models.JSONField(default=list, blank=True)
    remarks = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True, help_text="Other published attributes.")
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["version", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "entry_id"], name="screening_entry_unique_per_version"
            ),
        ]
        verbose_name_plural = "list entries"

    def __str__(self):
        return f"{self.entry_id} {self.primary_name}"


class EntryName(models.Model):
    """Every name of an entry: its primary name, aliases and names in original script."""

    class Kind(models.TextChoices):
        PRIMARY = "primary", "Primary name"
        AKA = "aka", "Also known as"
        FKA = "fka", "Formerly known as"
        NKA = "nka", "Now known as"
        LOW_QUALITY = "low_quality", "Low-quality alias"
        ORIGINAL_SCRIPT = "original_script", "Name in original script"

    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="names")
    # Indexed by screening_name_version_idx (version, entry).
    version = models.ForeignKey(
        ListVersion, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    name = models.TextField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    script = models.CharField(
        max_length=20, blank=True, help_text="Latin, Arabic, Cyrillic, Han, Hangul, ..."
    )

    class Meta:
        ordering = ["entry", "id"]
        indexes = [models.Index(fields=["version", "entry"], name="screening_name_version_idx")]

    def __str__(self):
        return self.name

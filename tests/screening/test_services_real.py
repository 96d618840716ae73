"""Importing the biggest real files into the database once per module: counts as SOURCES.md
measures them, the import time, original-script names and a re-import without differences."""

import collections
import time
from dataclasses import dataclass

import pytest
from django.db import transaction

from exportgov.audit.models import AuditEvent
from screening.models import EntryName, ListEntry, ListVersion
from screening.selectors import list_version_active_get
from screening.services import list_version_import

from .conftest import SDN_2024, UN

Verb = AuditEvent.Verb
Status = ListVersion.Status


@dataclass
class RealImports:
    sdn: ListVersion
    sdn_seconds: float
    un: ListVersion


@pytest.fixture(scope="module")
def real(django_db_setup, django_db_blocker):
    """The 2024 SDN file (the biggest) and the UN list, imported once for this module inside
    a transaction that is rolled back afterwards; each test runs in a savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        started = time.perf_counter()
        sdn = list_version_import(actor=None, paths=[SDN_2024])
        seconds = time.perf_counter() - started
        un = list_version_import(actor=None, paths=[UN])
        yield RealImports(sdn=sdn, sdn_seconds=seconds, un=un)
        transaction.set_rollback(True)


# --- the real files -------------------------------------------------------------------------


def test_list_version_import_stores_the_full_sdn_quickly(real, db):
    version = real.sdn

    assert real.sdn_seconds < 30, f"importing 14,965 entries took {real.sdn_seconds:.1f} s"
    assert version.source.code == "us_ofac_sdn"
    assert version.status == Status.ACTIVE
    assert version.format == "ofac_csv"
    assert version.entry_count == ListEntry.objects.filter(version=version).count() == 14965
    schemas = collections.Counter(
        ListEntry.objects.filter(version=version).values_list("schema", flat=True)
    )
    assert schemas == {"person": 6854, "vessel": 851, "aircraft": 376, "entity": 6884}
    names = EntryName.objects.filter(version=version)
    assert names.filter(kind=EntryName.Kind.PRIMARY).count() == 14965
    assert names.exclude(kind=EntryName.Kind.PRIMARY).count() == version.alias_count > 3000
    assert version.address_count == 0  # the primary file alone: no add.csv
    assert (version.added_count, version.removed_count, version.changed_count) == (14965, 0, 0)
    assert version.previous is None
    assert version.files[0]["name"] == "sdn.csv"
    assert len(version.sha256) == 64
    assert version.stats["primary_rows"] == 14965


def test_list_version_import_keeps_partial_dates_of_birth(real, db):
    entry = ListEntry.objects.get(version=real.sdn, entry_id="6906")  # "DOB 1961; POB Mosul, Iraq"

    assert entry.dates_of_birth == ["1961"]
    assert entry.countries == ["IQ"]
    born_1961 = ListEntry.objects.filter(version=real.sdn, dates_of_birth__contains=["1961"])
    assert born_1961.count() > 10


def test_list_version_import_keeps_un_original_script_names(real, db):
    names = EntryName.objects.filter(version=real.un, kind=EntryName.Kind.ORIGINAL_SCRIPT)

    assert names.count() == 378
    assert names.filter(script="Arabic").count() > 300
    saddam = names.get(name="صدام حسين التكريتي").entry
    assert saddam.schema == "person"
    assert EntryName.objects.filter(entry=saddam, kind=EntryName.Kind.PRIMARY).exists()
    assert real.un.entry_count == 1003
    assert real.un.publisher_date.isoformat() == "2026-02-27"


def test_list_version_import_same_file_again_shows_no_differences(real, db):
    again = list_version_import(actor=None, paths=[UN])

    assert again.previous == real.un
    assert (again.added_count, again.removed_count, again.changed_count) == (0, 0, 0)
    assert again.sha256 == real.un.sha256
    real.un.refresh_from_db()
    assert real.un.status == Status.SUPERSEDED
    assert list_version_active_get(source_code="un_sc") == again

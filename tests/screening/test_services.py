"""Importing list versions into the database: counts, differences against the previous version,
refusal of malformed files with the previous version left in force, and the audit trail."""

import pytest
from django.core.exceptions import PermissionDenied

from exportgov.audit.models import AuditEvent
from exportgov.core.exceptions import ApplicationError
from screening.models import ListEntry, ListSource, ListVersion
from screening.selectors import list_version_active_get
from screening.services import list_version_import

from .conftest import EU, OFAC_MALFORMED, OFAC_V1, OFAC_V2, UK, UN_MALFORMED

Verb = AuditEvent.Verb
Status = ListVersion.Status


# --- small fixtures -------------------------------------------------------------------------


def test_list_version_import_counts_differences_against_the_previous_version(db):
    first = list_version_import(actor=None, paths=OFAC_V1)
    second = list_version_import(actor=None, paths=OFAC_V2)

    assert (first.entry_count, first.alias_count, first.address_count) == (4, 6, 4)
    # v2: 101 and 104 unchanged, 102 has a new alias, 103 is gone, 105 is new.
    assert second.previous == first
    assert (second.added_count, second.removed_count, second.changed_count) == (1, 1, 1)
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    assert second.status == Status.ACTIVE
    assert ListVersion.objects.filter(source__code="us_ofac_sdn", status=Status.ACTIVE).count() == 1


def test_list_version_import_stores_latin1_names_aliases_and_attributes(db):
    version = list_version_import(actor=None, paths=OFAC_V1)

    munoz = ListEntry.objects.get(version=version, entry_id="101")
    assert munoz.primary_name == "MUÑOZ GARCÍA, José"
    assert munoz.schema == "person"
    assert munoz.programmes == ["SDNTK"]
    assert munoz.countries == ["CO"]
    assert munoz.dates_of_birth == ["1965-02-14", "1966"]
    assert {"type": "Passport", "value": "AB123456", "country": "CO", "note": ""} in (
        munoz.identifiers
    )
    assert munoz.addresses[0]["city"] == "Bogotá"
    assert list(munoz.names.order_by("id").values_list("name", "kind", "script")) == [
        ("MUÑOZ GARCÍA, José", "primary", "Latin"),
        ("MUNOZ GARCIA, Jose", "aka", "Latin"),
        ("EL PROFE", "low_quality", "Latin"),
    ]
    assert len(munoz.content_hash) == 64


def test_list_version_import_writes_the_audit_event(world):
    version = list_version_import(actor=world.policy_admin, paths=[EU])

    event = AuditEvent.objects.filter(verb=Verb.LIST_VERSION_IMPORTED).latest("id")
    assert event.actor == world.policy_admin
    assert event.target_id == str(version.pk)
    assert event.to_status == "active"
    assert event.payload["source"] == "eu_fsf"
    assert event.payload["entries"] == 3
    assert event.payload["files"][0]["name"] == "eu_fsf.xml"
    assert version.imported_by == world.policy_admin


def test_list_version_import_needs_the_import_permission(world):
    with pytest.raises(PermissionDenied):
        list_version_import(actor=world.case_officer, paths=[EU])

    assert not ListSource.objects.filter(code="eu_fsf").exists()


def test_list_version_import_malformed_file_is_rejected_and_the_previous_version_stays(db):
    previous = list_version_import(actor=None, paths=OFAC_V1)

    with pytest.raises(ApplicationError) as rejected:
        list_version_import(actor=None, paths=[OFAC_MALFORMED])

    assert "sdn.csv, line 3" in rejected.value.message
    assert rejected.value.code == "malformed_list"
    assert rejected.value.extra == {"file": "sdn.csv", "line": 3}
    previous.refresh_from_db()
    assert previous.status == Status.ACTIVE
    assert list_version_active_get(source_code="us_ofac_sdn") == previous
    assert ListVersion.objects.filter(source__code="us_ofac_sdn").count() == 1
    event = AuditEvent.objects.filter(verb=Verb.LIST_IMPORT_REJECTED).latest("id")
    assert event.payload["file"] == "sdn.csv"
    assert event.payload["line"] == 3


def test_list_version_import_malformed_xml_names_the_line(db):
    with pytest.raises(ApplicationError, match=r"un_malformed\.xml, line 13"):
        list_version_import(actor=None, paths=[UN_MALFORMED])

    assert not ListVersion.objects.filter(source__code="un_sc").exists()


def test_list_version_import_missing_file_is_rejected(db, tmp_path):
    with pytest.raises(ApplicationError, match=r"nothing\.csv: no such file"):
        list_version_import(actor=None, paths=[tmp_path / "nothing.csv"])


def test_list_version_import_skip_if_unchanged_keeps_the_active_version(db):
    first = list_version_import(actor=None, paths=[UK])

    again = list_version_import(actor=None, paths=[UK], skip_if_unchanged=True)

    assert again == first
    assert ListVersion.objects.filter(source__code="uk_ofsi").count() == 1


def test_list_version_import_publisher_date_given_overrides_none(db):
    import datetime

    version = list_version_import(
        actor=None, paths=OFAC_V1, publisher_date=datetime.date(2024, 5, 3)
    )

    assert version.publisher_date == datetime.date(2024, 5, 3)

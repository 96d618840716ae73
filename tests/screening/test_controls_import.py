"""Importing the real control-data files (data/controls): counts that match the files, the
raw-text rows kept for review, country names mapped to ISO codes, re-imports and supersession."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from exportgov.audit.models import AuditEvent
from exportgov.core.exceptions import ApplicationError
from screening.controls import chart_row_for, licence_determine
from screening.controls.determination import ControlDataMissingError
from screening.controls.importers import (
    ControlDataError,
    country_code,
    reasons_normalise,
    requirement_parse,
)
from screening.models import (
    ControlDataset,
    ControlEntry,
    CountryChartRow,
    CountryGroupMembership,
    LicenceException,
    LicenceRequirement,
)
from screening.services.controls import control_data_import_all, control_dataset_import

from .conftest import CONTROLS

Kind = ControlDataset.Kind
NAMED_COLUMN = re.compile(r"\b(CB|NP|NS|MT|RS|FC|CC|AT) Column [1-3]\b")


def _file(name: str) -> dict:
    return json.loads((CONTROLS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NS, RS, MT, NP, AT", ["NS", "RS", "MT", "NP", "AT"]),
        ("NS, MT and AT", ["NS", "MT", "AT"]),
        ("CC1", ["CC"]),
        ("CC 1", ["CC"]),
        ("CW, AT.", ["CW", "AT"]),
        ("NS, MT NP, AT", ["NS", "MT", "NP", "AT"]),
        ("RS AT", ["RS", "AT"]),
        ("AT, RS, foreign policy", ["AT", "RS", "FP"]),
        ("Foreign policy", ["FP"]),
        ("", []),
        (None, []),
    ],
)
def test_reasons_normalise_reads_every_spelling(raw, expected):
    assert reasons_normalise(raw) == expected


def test_reasons_normalise_refuses_unknown_text():
    with pytest.raises(ControlDataError, match="XYZZY"):
        reasons_normalise("NS, xyzzy")


def test_requirement_parse_reads_columns_and_keeps_the_rest_for_review():
    (ns,) = requirement_parse("NS applies to entire entry", "NS Column 1.")
    assert (ns.reason, ns.column, ns.needs_review) == ("NS1", "NS 1", False)

    merged = "CB applies to entire entry CB Column 2."
    (cb,) = requirement_parse(merged, merged, single_cell=True)
    assert (cb.reason, cb.column, cb.scope) == ("CB2", "CB 2", "CB applies to entire entry")

    np1, at1 = requirement_parse(
        "NP applies to entire entry AT applies to entire entry", "NP Column 1 AT Column 1"
    )
    assert (np1.column, at1.column) == ("NP 1", "AT 1")

    (bare,) = requirement_parse("AT applies to entire entry", "Column 1.")
    assert (bare.reason, bare.column, bare.needs_review) == ("AT1", "AT 1", False)

    worldwide = "To or within any destination worldwide. See § 742.6(a)(6)(iii)(A) of the EAR."
    (rs,) = requirement_parse("RS applies to 3A001.z.1.a", worldwide)
    assert (rs.reason, rs.column, rs.needs_review, rs.chart_text) == ("RS", "", True, worldwide)

    (empty,) = requirement_parse("MT applies to software", "MT applies", cell_empty=True)
    assert empty.needs_review
    assert empty.column == ""


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Korea, North", "KP"),
        ("Korea, South", "KR"),
        ("Burma", "MM"),
        ("Congo (Democratic Republic of the)", "CD"),
        ("Congo (Republic of the)", "CG"),
        ("China (PRC)", "CN"),
        ("Türkiye", "TR"),
        ("Bosnia & Herzegovina", "BA"),
        ("St. Kitts and Nevis", "KN"),
        ("The Bahamas", "BS"),
        ("Seycheles", "SC"),
        ("Hong Kong", "HK"),
        ("Liechtenstein", "LI"),
        ("Cayman Islands", "KY"),
    ],
)
def test_country_code_maps_the_eccfr_spellings(name, code):
    assert country_code(name) == code


def test_country_code_uses_the_file_aliases_and_refuses_unknown_names():
    assert country_code("DPRK", {"dprk": "Korea, North"}) == "KP"
    with pytest.raises(ControlDataError, match="Atlantis"):
        country_code("Atlantis")


def test_control_data_import_all_counts_match_the_files(control_data):
    ccl, chart, groups = (
        _file("ccl.json"),
        _file("country-chart.json"),
        _file("country-groups.json"),
    )
    exceptions, annex = _file("license-exception-catalog.json"), _file("annex.json")

    assert set(control_data) == set(Kind.values)
    assert ControlDataset.objects.filter(status="active").count() == 5

    # CCL: 633 ECCNs and every licence-requirement row of the file, none dropped.
    source_rows = [row for entry in ccl["entries"] for row in entry["countryChart"]]
    no_column = [row for row in source_rows if not NAMED_COLUMN.search(row["countryChart"])]
    assert len(ccl["entries"]) == 633
    assert len(source_rows) == 1536
    assert len(no_column) == 273
    dataset = control_data[Kind.CCL]
    assert ControlEntry.objects.filter(dataset=dataset).count() == dataset.row_count == 633
    assert dataset.payload["source_requirement_rows"] == 1536
    requirements = LicenceRequirement.objects.filter(entry__dataset=dataset)
    # 1A231's one row names two columns (NP 1 and AT 1) and becomes two rows.
    assert requirements.count() == 1537 == dataset.payload["requirement_rows"]
    # 1C351's "Column 1." takes its reason from "AT applies to entire entry"; the others stay.
    assert requirements.filter(needs_review=True).count() == 273 - 1
    assert dataset.needs_review_count == 272
    review = requirements.filter(needs_review=True)
    assert review.filter(chart_text__startswith="Refer to § 742.15").exists()
    assert review.filter(chart_text__startswith="To or within any destination worldwide").exists()
    assert not review.exclude(column="").exists()
    assert dataset.issue_date.isoformat() == ccl["ecfrIssueDate"] == "2026-07-23"
    assert dataset.sha256.startswith("27f7e1fd44cb")

    entry = ControlEntry.objects.get(dataset=dataset, code="3A001")
    assert entry.reasons == ["NS", "RS", "MT", "NP", "AT"]
    assert entry.reasons_raw == "NS, RS, MT, NP, AT"
    assert list(entry.requirements.values_list("column", flat=True)) == [
        "NS 1", "NS 2", "RS 1", "", "", "MT 1", "NP 1", "AT 1",
    ]  # fmt: skip
    (cb,) = ControlEntry.objects.get(dataset=dataset, code="1C350").requirements.all()
    assert (cb.reason, cb.column) == ("CB2", "CB 2")

    # Country Chart: 196 rows and 4 embargoed pointer rows, names as ISO codes.
    rows = CountryChartRow.objects.filter(dataset=control_data[Kind.COUNTRY_CHART])
    assert len(chart["countries"]) == 196
    assert len(chart["embargoed"]) == 4
    assert rows.count() == 200
    assert set(rows.exclude(embargo_pointer="").values_list("country", flat=True)) == {
        "CU", "IR", "KP", "SY",
    }  # fmt: skip
    assert rows.get(country="KR").name == "Korea, South"
    assert rows.get(country="MM").name == "Burma"
    assert (
        rows.get(country="CD").marks
        == chart["countries"]["Congo (Democratic Republic of the)"]["marks"]
    )
    assert rows.get(country="DE").marks == ["CB 1", "NS 1", "MT 1", "RS 1"]
    payload = control_data[Kind.COUNTRY_CHART].payload
    assert payload["footnotes"]["6"].startswith("See § 746.5 of the EAR")
    assert payload["territory_rows"] == {"HK": "CN", "LI": "CH", "KY": "GB"}
    assert payload["column_labels"]["NS 1"] == "National security"
    assert payload["all_destinations_entries"]["citation"] == "15 C.F.R. 738.3(a)(1)"

    # Country Groups: 14 groups with the file's sizes.
    memberships = CountryGroupMembership.objects.filter(dataset=control_data[Kind.COUNTRY_GROUPS])
    sizes = {group: memberships.filter(group=group).count() for group in groups["groups"]}
    assert sizes == {group: len(names) for group, names in groups["groups"].items()}
    assert len(sizes) == 14
    assert set(memberships.filter(group="E:1").values_list("country", flat=True)) == {
        "IR", "KP", "SY",
    }  # fmt: skip

    # Licence exceptions: 27 sections, one row per symbol (740.8 has NAC and ACA).
    rows = LicenceException.objects.filter(dataset=control_data[Kind.LICENCE_EXCEPTIONS])
    assert len(exceptions["exceptions"]) == 27
    assert rows.values("section").distinct().count() == 27
    assert rows.count() == 28
    assert rows.get(symbol="GBS").title == "Shipments to Country Group B countries (GBS)"

    # EU Annex I: 384 entries with their verbatim text.
    eu = ControlEntry.objects.filter(dataset=control_data[Kind.EU_ANNEX])
    assert eu.count() == len(annex["entries"]) == 384
    assert eu.get(code="3A001").heading == "Electronic items as follows:"
    assert eu.get(code="3A001").text.startswith("3A001 Electronic items as follows:\n")

    events = AuditEvent.objects.filter(verb=AuditEvent.Verb.CONTROL_DATA_IMPORTED)
    assert events.count() == 5
    assert events.get(target_id=str(dataset.pk)).payload["needs_review"] == 272


def test_control_dataset_import_same_file_again_changes_nothing(control_data):
    datasets, events = ControlDataset.objects.count(), AuditEvent.objects.count()

    again = control_dataset_import(actor=None, path=CONTROLS / "ccl.json")

    assert again == control_data[Kind.CCL]
    assert ControlDataset.objects.count() == datasets
    assert AuditEvent.objects.count() == events
    assert [d.pk for d in control_data_import_all(folder=CONTROLS)] == [
        d.pk for d in control_data.values()
    ]


def test_control_dataset_import_changed_file_supersedes_the_active_one(control_data, tmp_path):
    chart = _file("country-chart.json")
    assert "NS 2" not in chart["countries"]["Germany"]["marks"]
    assert licence_determine(control_code="3A001", destination="DE").reasons[1].required is False
    chart["countries"]["Germany"]["marks"].append("NS 2")
    chart["ecfrIssueDate"] = "2026-08-01"
    path = tmp_path / "country-chart.json"
    path.write_text(json.dumps(chart), encoding="utf-8")

    new = control_dataset_import(actor=None, path=path)

    old = control_data[Kind.COUNTRY_CHART]
    old.refresh_from_db()
    assert old.status == ControlDataset.Status.SUPERSEDED
    assert new.status == ControlDataset.Status.ACTIVE
    assert new.issue_date.isoformat() == "2026-08-01"
    assert chart_row_for("DE").dataset_id == new.pk
    result = licence_determine(control_code="3A001", destination="DE")
    assert (result.reasons[1].column, result.reasons[1].required) == ("NS 2", True)
    assert result.data_version["country_chart"] == new.version_label
    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.CONTROL_DATA_IMPORTED).last()
    assert event.payload["superseded"] == old.pk


def test_control_dataset_import_unknown_country_fails_loudly(db, tmp_path):
    chart = _file("country-chart.json")
    chart["countries"]["Atlantis"] = {"marks": ["NS 1"], "footnotes": []}
    path = tmp_path / "country-chart.json"
    path.write_text(json.dumps(chart), encoding="utf-8")

    with pytest.raises(ApplicationError, match="Atlantis"):
        control_dataset_import(actor=None, path=path)

    assert not ControlDataset.objects.exists()
    assert not CountryChartRow.objects.exists()


def test_control_dataset_import_refuses_a_file_of_another_kind(db):
    with pytest.raises(ApplicationError, match="not ccl"):
        control_dataset_import(actor=None, path=CONTROLS / "annex.json", kind=Kind.CCL)
    assert not ControlDataset.objects.exists()


def test_control_dataset_import_needs_the_permission(world):
    with pytest.raises(PermissionDenied):
        control_dataset_import(actor=world.exporter, path=CONTROLS / "country-groups.json")
    dataset = control_dataset_import(
        actor=world.policy_admin, path=CONTROLS / "country-groups.json"
    )
    assert dataset.imported_by == world.policy_admin


def test_import_controls_command_prints_one_line_per_dataset(db, capsys):
    call_command("import_controls", "--folder", str(CONTROLS))
    first = capsys.readouterr().out.splitlines()
    call_command("import_controls")
    second = capsys.readouterr().out.splitlines()

    assert len(first) == len(second) == 5
    assert first[0].startswith("ccl:2026-07-23#27f7e1fd44cb ccl.json: 633 rows, 1537 licence")
    assert all(line.endswith("imported") for line in first)
    assert all(line.endswith("unchanged (already active)") for line in second)


def test_licence_determine_without_control_data_raises(db):
    with pytest.raises(ControlDataMissingError):
        licence_determine(control_code="3A001", destination="DE")
    with pytest.raises(CommandError, match="import_controls"):
        call_command("determine_licence", "--control", "3A001", "--destination", "DE")


def test_licence_check_page_without_control_data_says_so(client, db):
    page = client.get("/licence-check/", {"code": "3A001", "destination": "DE"}).content.decode()

    assert "The control data has not been loaded yet" in page

"""Licence determination against the real Commerce Control List and Country Chart.

The expected values were read from data/controls/ccl.json and country-chart.json (the chart
rows are also read back from the file below), not from the code under test.
"""

import json

import pytest
from django.core.management import CommandError, call_command

from screening.controls import (
    chart_row_for,
    control_code_search,
    country_groups_of,
    licence_determine,
)

from .conftest import CONTROLS

CHART = json.loads((CONTROLS / "country-chart.json").read_text(encoding="utf-8"))
# 3A001's License Requirements rows, in order, by chart column ("" = names no column).
COLUMNS_3A001 = ["NS 1", "NS 2", "RS 1", "", "", "MT 1", "NP 1", "AT 1"]


@pytest.fixture
def data(module_control_data, db):
    return module_control_data


def _by_column(result) -> dict:
    return {reason.column: reason.required for reason in result.reasons if reason.column}


@pytest.mark.parametrize(
    ("destination", "row", "expected"),
    [
        # Germany: CB 1, NS 1, MT 1, RS 1
        ("DE", "Germany", {"NS 1": True, "NS 2": False, "RS 1": True, "MT 1": True,
                           "NP 1": False, "AT 1": False}),
        # China: NS 1-2, RS 1-2, MT 1, NP 1-2 (and CB, CC)
        ("CN", "China", {"NS 1": True, "NS 2": True, "RS 1": True, "MT 1": True,
                         "NP 1": True, "AT 1": False}),
        # India: CB 1, NP 1, NS 1, MT 1, RS 1
        ("IN", "India", {"NS 1": True, "NS 2": False, "RS 1": True, "MT 1": True,
                         "NP 1": True, "AT 1": False}),
    ],
)  # fmt: skip
def test_licence_determine_follows_the_chart_cells(data, destination, row, expected):
    result = licence_determine(control_code="3A001", destination=destination)

    assert _by_column(result) == expected
    assert _by_column(result) == {
        column: column in CHART["countries"][row]["marks"] for column in expected
    }
    assert result.licence_required is True
    assert [reason.column for reason in result.reasons] == COLUMNS_3A001
    ns1 = result.reasons[0]
    assert ns1.reason == "NS1"
    assert "15 CFR 774 Supp. 1, ECCN 3A001" in ns1.citation
    assert f"column NS 1, row “{row}”" in ns1.citation
    assert "15 CFR 738 Supp. 1" in ns1.citation


def test_licence_determine_shows_the_row_footnotes_with_their_text(data):
    result = licence_determine(control_code="3A001", destination="RU")

    assert result.licence_required is True
    assert result.footnotes == [{"number": 6, "text": CHART["footnotes"]["6"]}]
    assert "Russian Industry Sector Sanctions" in result.footnotes[0]["text"]
    assert "footnotes 6" in result.reasons[0].citation
    # EAR99 has no chart column, but footnote 6 sends the reader to Part 746: refer.
    ear99 = licence_determine(control_code="EAR99", destination="RU")
    assert ear99.licence_required == "refer"
    assert [(r.reason, r.required) for r in ear99.reasons] == [("FN6", "refer")]


def test_licence_determine_footnote_naming_the_eccn_is_referred(data):
    # Footnote 10 (United Kingdom, Australia) requires a licence for 0A501; the grid does not.
    result = licence_determine(control_code="0A501", destination="GB")

    assert _by_column(result) == {"NS 1": False, "RS 1": False, "FC 1": False, "AT 1": False}
    assert result.reasons[-1].reason == "FN10"
    assert result.reasons[-1].required == "refer"
    assert result.licence_required == "refer"


@pytest.mark.parametrize(
    ("destination", "group", "pointer"),
    [
        ("IR", "E:1", "See part 746 of the EAR"),
        ("KP", "E:1", "See Sections 742.19 and 746.4"),
        ("CU", "E:2", "See part 746 of the EAR"),
        ("SY", "E:1", "See § 746.9"),
    ],
)
def test_licence_determine_embargo_comes_first(data, destination, group, pointer):
    result = licence_determine(control_code="3A001", destination=destination)

    assert result.licence_required == "refer"
    assert result.reasons[0].reason == "EMBARGO"
    assert pointer in result.reasons[0].citation
    assert result.reasons[1].reason == group
    assert result.embargo["embargoed"] is True
    assert result.embargo["country_group_e"] == [group]
    # The empty cells of a pointer row say nothing: every chart reason is referred.
    assert {reason.required for reason in result.reasons} == {"refer"}
    assert chart_row_for(destination).is_embargoed


def test_licence_determine_hong_kong_follows_the_china_row(data):
    hong_kong = licence_determine(control_code="3A001", destination="HK")
    china = licence_determine(control_code="3A001", destination="CN")

    assert chart_row_for("HK").name == "China"
    assert hong_kong.chart_row == "China"
    assert "85 FR 83788" in hong_kong.territory
    assert _by_column(hong_kong) == _by_column(china)
    assert country_groups_of("HK") == country_groups_of("CN") == {"D:1", "D:3", "D:4", "D:5"}
    assert chart_row_for("LI").name == "Switzerland"
    assert chart_row_for("KY").name == "United Kingdom"
    assert chart_row_for("GL") is None


def test_licence_determine_ear99_has_no_ccl_requirement_but_end_use_checks_apply(data):
    result = licence_determine(control_code="ear99", destination="DE")

    assert result.licence_required is False
    assert result.entry_code == "EAR99"
    assert result.reasons == []
    notes = " ".join(result.notes)
    assert "15 CFR Part 744" in notes
    assert "not a clearance" in notes
    assert result.headline.startswith("A licence is probably not needed")


def test_licence_determine_all_destinations_entry_requires_a_licence(data):
    result = licence_determine(control_code="0A983", destination="CA")

    assert result.licence_required is True
    (reason,) = result.reasons
    assert (reason.reason, reason.required) == ("ALL", True)
    assert "738.3(a)(1)" in reason.citation
    assert "No licence exception may be used" in reason.citation
    assert result.licence_exceptions == []  # LVS and GBS are "N/A" for 0A983

    # 5A001.f.1 needs one everywhere; for 5A001 as a whole that is only a question.
    assert licence_determine(control_code="5A001.f.1", destination="FR").reasons[0].required
    assert licence_determine(control_code="5A001", destination="FR").reasons[0].required == (
        "refer"
    )


def test_licence_determine_needs_review_rows_refer(data):
    # Canada: CB 1 and FC 1 only, so no column of 3A001 has an X; its RS rows for 3A001.z
    # name no column ("any destination worldwide", Country Groups): refer, with the raw text.
    assert CHART["countries"]["Canada"]["marks"] == ["CB 1", "FC 1"]
    result = licence_determine(control_code="3A001", destination="CA")

    assert result.licence_required == "refer"
    review = [reason for reason in result.reasons if reason.needs_review]
    assert [reason.reason for reason in review] == ["RS", "RS"]
    assert all(reason.required == "refer" for reason in review)
    assert "any destination worldwide" in review[0].chart_text
    assert not any(reason.required is True for reason in result.reasons)


def test_licence_determine_normalises_the_code_and_reports_exceptions(data):
    result = licence_determine(control_code=" 3a001.b.2 ", destination="de")

    assert (result.control_code, result.entry_code, result.paragraph) == (
        "3A001.b.2",
        "3A001",
        "b.2",
    )
    assert result.destination == "DE"
    exceptions = {exception["symbol"]: exception for exception in result.licence_exceptions}
    assert exceptions["GBS"]["title"] == "Shipments to Country Group B countries (GBS)"
    assert exceptions["GBS"]["section"] == "740.4"
    assert exceptions["GBS"]["note"] == "may be available; check the conditions"
    assert result.eu_annex["code"] == "3A001"
    assert result.eu_annex["heading"] == "Electronic items as follows:"
    assert result.data_version["ccl"] == "ccl:2026-07-23#27f7e1fd44cb"
    assert result.data_version["country_chart"] == "country_chart:2026-07-23#7b0cbc66bcbc"


def test_licence_determine_json_shape(data):
    payload = json.loads(
        json.dumps(licence_determine(control_code="3A001", destination="DE").as_dict())
    )

    assert payload["licence_required"] is True
    assert payload["reasons"][1] == {
        **payload["reasons"][1],
        "reason": "NS2",
        "column": "NS 2",
        "required": False,
    }
    assert {"reason", "column", "required", "citation"} <= set(payload["reasons"][0])
    assert set(payload["data_version"]) == {
        "ccl", "country_chart", "country_groups", "licence_exceptions", "eu_annex",
    }  # fmt: skip
    assert payload["country_groups"] == ["A:1", "A:2", "A:3", "A:4", "A:5", "B"]


def test_licence_determine_unknown_code_or_destination_is_referred(data):
    unknown = licence_determine(control_code="9Z999", destination="DE")
    assert unknown.licence_required == "refer"
    assert unknown.problem_codes == {"unknown_control_code"}

    nowhere = licence_determine(control_code="3A001", destination="XX")
    assert nowhere.licence_required == "refer"
    assert nowhere.problem_codes == {"unknown_destination"}

    eu_only = licence_determine(control_code="0A001", destination="DE")  # EU Annex I only
    assert eu_only.licence_required == "refer"
    assert eu_only.problems == []
    assert eu_only.eu_annex["code"] == "0A001"


def test_licence_determine_is_one_query_once_loaded(data, django_assert_num_queries):
    licence_determine(control_code="3A001", destination="DE")
    with django_assert_num_queries(1):
        licence_determine(control_code="6A003", destination="IN")
        # the same snapshot serves the lookups too
    with django_assert_num_queries(2):
        chart_row_for("FR")
        country_groups_of("FR")


def test_control_code_search_by_code_and_heading(data):
    assert [match["code"] for match in control_code_search("3A00")][:3] == [
        "3A001", "3A002", "3A003",
    ]  # fmt: skip
    cameras = [match["code"] for match in control_code_search("cameras") if match["list"] == "ccl"]
    assert {"6A003", "6A203", "6A993"} <= set(cameras)
    assert control_code_search("ear")[0]["code"] == "EAR99"


def test_determine_licence_command_prints_text(data, capsys):
    call_command("determine_licence", "--control", "3A001", "--destination", "DE")
    out = capsys.readouterr().out

    assert out.startswith("3A001 to Germany (DE): A licence is needed")
    assert "NS 1     licence required" in out
    assert "NS 2     no X in the chart cell" in out
    assert "Footnote 3:" in out
    assert "15 CFR Part 744" in out
    assert "ccl:2026-07-23#27f7e1fd44cb" in out


def test_determine_licence_command_prints_json(data, capsys):
    call_command("determine_licence", "--control", "3A001", "--destination", "CN", "--json")
    payload = json.loads(capsys.readouterr().out)

    assert payload["licence_required"] is True
    assert payload["reasons"][1]["reason"] == "NS2"
    assert payload["reasons"][1]["column"] == "NS 2"
    assert payload["reasons"][1]["required"] is True
    assert payload["data_version"]["ccl"].startswith("ccl:2026-07-23#")


def test_determine_licence_command_refuses_bad_input(data):
    with pytest.raises(CommandError, match="not an ECCN"):
        call_command("determine_licence", "--control", "9Z999", "--destination", "DE")
    with pytest.raises(CommandError, match="not a destination"):
        call_command("determine_licence", "--control", "3A001", "--destination", "XX")

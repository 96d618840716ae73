"""The parsers, without the database: the real files reproduce the counts measured in
data/lists/SOURCES.md, the hand-written EU and UK fixtures read as their schemas say, and
malformed or hostile files are refused with their file and line."""

import collections
import gzip
import shutil
from functools import cache
from pathlib import Path

import pytest

from screening.importers import ImportFormatError, detect, detect_groups, sniff
from screening.importers.base import Importer
from screening.importers.ofac_csv import ofac_csv_component_read
from screening.importers.records import EntryRecord
from screening.importers.text import country_code, name_script, partial_dates

from .conftest import (
    CONS_CSV,
    CONS_XML,
    CSL,
    DPL,
    EU,
    OFAC_MALFORMED,
    OFAC_V1,
    SDN_2021,
    SDN_2024,
    SDN_2025,
    UK,
    UN,
    UN_ENTITY_BOMB,
    UN_MALFORMED,
)


@cache
def _parsed(*paths: Path) -> tuple[Importer, dict[str, EntryRecord]]:
    importer = detect(list(paths))
    return importer, {record.entry_id: record for record in importer.parse()}


def _kinds(records: dict[str, EntryRecord]) -> collections.Counter:
    return collections.Counter(name.kind for record in records.values() for name in record.names)


# --- OFAC legacy CSV ------------------------------------------------------------------------


def test_ofac_csv_sdn_2021_set_reproduces_the_measured_counts():
    importer, records = _parsed(*SDN_2021)

    assert importer.format == "ofac_csv"
    assert importer.source.code == "us_ofac_sdn"
    assert len(records) == 8976
    schemas = collections.Counter(record.schema for record in records.values())
    assert schemas == {"person": 4620, "vessel": 406, "aircraft": 277, "entity": 3673}
    stats = importer.stats
    assert (stats["address_rows"], stats["address_entities"]) == (13837, 8976)
    assert (stats["alias_rows"], stats["alias_entities"]) == (11910, 4139)
    assert (stats["alias_aka"], stats["alias_fka"], stats["alias_nka"]) == (11523, 369, 18)
    assert stats["comments_rows"] == 5
    assert stats["alias_rows_without_entry"] == stats["address_rows_without_entry"] == 0


def test_ofac_csv_keeps_aliases_with_their_kind():
    _importer, records = _parsed(*SDN_2021)

    kinds = _kinds(records)
    # alt.csv's 11,523 a.k.a. rows (two repeat a name already listed), 369 f.k.a. and
    # 18 n.k.a.; the remarks add weak aliases ("a.k.a. 'X'") and a few f.k.a.
    assert kinds["aka"] == 11521
    assert kinds["nka"] == 18
    assert kinds["fka"] >= 369
    assert kinds["low_quality"] > 2000
    banco = records["306"]
    assert banco.primary_name == "BANCO NACIONAL DE CUBA"
    assert ("NATIONAL BANK OF CUBA", "aka") in {(n.name, n.kind) for n in banco.names}
    assert ("BNC", "low_quality") in {(n.name, n.kind) for n in banco.names}


def test_ofac_csv_joins_the_remarks_overflow_of_sdn_comments():
    _importer, records = _parsed(*SDN_2021)

    remarks = records["28264"].remarks
    assert len(remarks) > 1000
    assert "Phone Number 8613314257947" in remarks  # "P" + "hone Number ..." from the overflow
    assert ("blackjack1987", "low_quality") in {(n.name, n.kind) for n in records["28264"].names}


def test_ofac_csv_reads_dates_of_birth_countries_and_identifiers_from_remarks():
    _importer, records = _parsed(*SDN_2021)

    with_dob = [record for record in records.values() if record.dates_of_birth]
    assert len(with_dob) > 4000
    assert all(len(day) in (4, 7, 10) for record in with_dob for day in record.dates_of_birth)
    cuba = records["36"]  # AEROCARIBBEAN AIRLINES, Havana, Cuba
    assert cuba.addresses[0].country_code == "CU"
    assert "CU" in cuba.countries
    assert sum(len(record.identifiers) for record in records.values()) > 5000


def test_ofac_csv_sdn_2024_primary_file_alone():
    role, rows = ofac_csv_component_read(SDN_2024)

    assert role == "primary"
    assert len(rows) == 14965
    assert max(int(row[0]) for row in rows) == 48907
    types = collections.Counter(row[2] or "entity" for row in rows)
    assert types == {"individual": 6854, "vessel": 851, "aircraft": 376, "entity": 6884}


def test_ofac_csv_2025_addresses_aliases_and_comments_reproduce_the_measured_counts():
    _role, addresses = ofac_csv_component_read(SDN_2025 / "add.csv")
    _role, aliases = ofac_csv_component_read(SDN_2025 / "alt.csv")
    _role, comments = ofac_csv_component_read(SDN_2025 / "sdn_comments.csv")
    _role, primary_2024 = ofac_csv_component_read(SDN_2024)

    assert (len(addresses), len({row[0] for row in addresses})) == (24244, 18494)
    alias_entities = {row[0] for row in aliases}
    assert (len(aliases), len(alias_entities)) == (20107, 8653)
    assert collections.Counter(row[2] for row in aliases) == {"aka": 19551, "fka": 539, "nka": 17}
    assert len(comments) == 28
    assert len(alias_entities & {row[0] for row in primary_2024}) == 7086


def test_ofac_csv_a_set_without_its_primary_file_is_refused():
    with pytest.raises(ImportFormatError, match=r"alt\.csv: an OFAC CSV set needs its primary"):
        detect([SDN_2025 / "alt.csv"]).parse()


def test_ofac_csv_consolidated_set_reproduces_the_measured_counts():
    importer, records = _parsed(*CONS_CSV)

    assert importer.source.code == "us_ofac_consolidated"
    assert len(records) == 442
    schemas = collections.Counter(record.schema for record in records.values())
    assert schemas == {"person": 79, "entity": 363}
    stats = importer.stats
    assert (stats["alias_rows"], stats["alias_entities"]) == (1073, 395)
    assert stats["address_rows"] == 574
    assert stats["comments_rows"] == 10


def test_ofac_csv_decodes_latin1_and_strips_nulls_and_ctrl_z():
    raw = OFAC_V1[2].read_bytes()  # sdn.csv
    assert b"MU\xd1OZ GARC\xcdA, Jos\xe9" in raw
    assert raw.endswith(b"\r\n\x1a")

    _importer, records = _parsed(*OFAC_V1)

    munoz = records["101"]
    assert munoz.primary_name == "MUÑOZ GARCÍA, José"
    assert munoz.addresses[0].city == "Bogotá"
    assert munoz.details == {
        "places_of_birth": ["Bogotá, Colombia"],
        "nationalities": ["Colombia"],
    }  # the -0- columns (title, vessel data) are empty, not "-0-"
    assert munoz.dates_of_birth == ["1965-02-14", "1966"]
    assert {(i.type, i.value, i.country) for i in munoz.identifiers} == {
        ("Cedula No.", "12345678", "CO"),
        ("Passport", "AB123456", "CO"),
    }
    assert [(n.name, n.kind) for n in munoz.names] == [
        ("MUÑOZ GARCÍA, José", "primary"),
        ("MUNOZ GARCIA, Jose", "aka"),
        ("EL PROFE", "low_quality"),
    ]
    assert records["102"].programmes == ["IRAN", "SDGT"]
    assert [(n.name, n.kind) for n in records["102"].aliases] == [
        ("ACME GENERAL TRADING FZE", "fka"),
        ("ACME HOLDING LLC", "nka"),
    ]
    assert records["103"].schema == "vessel"
    assert records["103"].addresses == []  # the address row is all -0-
    # 104's remarks overflow into sdn_comments.csv in the middle of an alias.
    assert records["104"].dates_of_birth == ["1970", "1971-03"]
    assert ("VANYA", "low_quality") in {(n.name, n.kind) for n in records["104"].names}


def test_ofac_csv_malformed_row_is_refused_naming_file_and_line():
    with pytest.raises(ImportFormatError) as refused:
        detect([OFAC_MALFORMED]).parse()

    assert str(refused.value) == "sdn.csv, line 3: has 11 fields where OFAC's primary file has 12"
    assert (refused.value.file, refused.value.line) == ("sdn.csv", 3)


# --- OFAC enhanced XML ----------------------------------------------------------------------


def test_ofac_xml_consolidated_enhanced_zip_reproduces_the_measured_counts():
    importer, records = _parsed(CONS_XML)

    assert importer.format == "ofac_xml"
    assert importer.source.code == "us_ofac_consolidated"
    assert str(importer.publisher_date) == "2025-01-10"
    assert len(records) == 443
    assert collections.Counter(r.schema for r in records.values()) == {"entity": 363, "person": 80}
    haniya = records["9639"]
    assert haniya.primary_name == "HANIYA, Ismail Abdul Salah"
    assert {("HANIYA, Ismail", "aka"), ("HANIYYA, Ismaeel", "aka")} <= {
        (n.name, n.kind) for n in haniya.names
    }
    assert haniya.dates_of_birth == ["1962"]
    scripts = collections.Counter(
        n.script for r in records.values() for n in r.names if n.kind == "original_script"
    )
    assert scripts["Cyrillic"] > 30
    assert scripts["Han"] >= 1


def test_ofac_xml_plain_xml_is_read_like_the_zip(tmp_path):
    import zipfile

    with zipfile.ZipFile(CONS_XML) as archive:
        archive.extractall(tmp_path)
    importer, records = _parsed(tmp_path / "CONS_ENHANCED.XML")

    assert importer.format == "ofac_xml"
    assert len(records) == 443


# --- trade.gov CSL --------------------------------------------------------------------------


def test_csl_reproduces_the_measured_counts():
    importer, records = _parsed(CSL)

    assert importer.format == "trade_gov_csl"
    assert str(importer.publisher_date) == "2022-05-16"  # the gzip header's date
    assert len(records) == 14160
    lists = collections.Counter(record.details["list"] for record in records.values())
    assert lists == {
        "SDN": 10026,
        "EL": 2001,
        "DTC": 727,
        "DPL": 462,
        "SSI": 290,
        "UVL": 201,
        "ISN": 163,
        "PLC": 78,
        "MEU": 71,
        "CMIC": 68,
        "CAP": 53,
        "NS-MBS": 17,
        "FSE": 3,
    }
    assert importer.stats["alt_names"] == 20011
    abbas = records["SDN-24904"]
    assert abbas.dates_of_birth == ["1978-08-22"]
    assert abbas.countries == ["SY"]
    assert [(n.name, n.kind) for n in abbas.aliases] == [("'ABBAS, Yasir 'Aziz", "aka")]


def test_csl_accepts_the_uncompressed_csv(tmp_path):
    plain = tmp_path / "consolidated.csv"
    with gzip.open(CSL, "rb") as compressed, plain.open("wb") as out:
        shutil.copyfileobj(compressed, out)

    importer = detect([plain])

    assert importer.format == "trade_gov_csl"
    assert sum(1 for _ in importer.entries()) == 14160
    assert importer.publisher_date is None


# --- BIS DPL --------------------------------------------------------------------------------


def test_bis_dpl_reproduces_the_measured_counts():
    importer, records = _parsed(DPL)

    assert importer.format == "bis_dpl"
    assert importer.stats["rows"] == 665
    # 546 distinct names as written; " I. ASH" and "I. ASH" are the same person.
    assert importer.stats["distinct_names_as_written"] == 546
    assert len(records) == 545
    assert str(importer.publisher_date) == "2023-11-16"
    ash = next(r for r in records.values() if r.primary_name == "I. ASH")
    assert ash.addresses[0].city == "SEAGOVILLE"
    assert len(ash.details["orders"]) >= 1


# --- UN Security Council --------------------------------------------------------------------


def test_un_xml_reproduces_the_measured_counts():
    importer, records = _parsed(UN)

    assert importer.format == "un_xml"
    assert str(importer.publisher_date) == "2026-02-27"
    assert collections.Counter(r.schema for r in records.values()) == {"person": 730, "entity": 273}
    assert importer.stats["individual_alias_elements"] == 2308
    assert importer.stats["entity_alias_elements"] == 735
    # SOURCES.md's 380 is a count of lines: two of the 378 values wrap onto a second line.
    assert importer.stats["original_script_names"] == 378


def test_un_xml_keeps_original_script_names_and_alias_qualities():
    _importer, records = _parsed(UN)

    originals = [n for r in records.values() for n in r.names if n.kind == "original_script"]
    assert len(originals) == 378
    assert collections.Counter(n.script for n in originals).most_common(1)[0][0] == "Arabic"
    assert all("\n" not in n.name and "  " not in n.name for n in originals)
    kinds = _kinds(records)
    assert kinds["low_quality"] == 615
    assert kinds["fka"] == 19
    saddam = next(r for r in records.values() if "صدام حسين التكريتي" in [n.name for n in r.names])
    assert saddam.schema == "person"


def test_un_xml_keeps_partial_dates_of_birth():
    _importer, records = _parsed(UN)

    badege = records["6907993"]  # <TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1971</YEAR>
    assert badege.dates_of_birth == ["1971"]
    days = [day for r in records.values() for day in r.dates_of_birth]
    assert {len(day) for day in days} == {4, 10}


def test_un_xml_malformed_is_refused_naming_file_and_line():
    with pytest.raises(ImportFormatError, match=r"^un_malformed\.xml, line 13: is not well-formed"):
        detect([UN_MALFORMED]).parse()


def test_un_xml_entity_declarations_are_refused():
    with pytest.raises(ImportFormatError, match="declares XML entities"):
        detect([UN_ENTITY_BOMB]).parse()


# --- EU and UK (hand-written fixtures in the published layouts) ------------------------------


def test_eu_xml_reads_the_fsd_export_schema():
    importer, records = _parsed(EU)

    assert importer.format == "eu_fsf_xml"
    assert importer.source.code == "eu_fsf"
    assert str(importer.publisher_date) == "2024-03-01"
    assert list(records) == ["1001", "1002", "1003"]
    ivanov = records["1001"]
    assert ivanov.schema == "person"
    assert [(n.name, n.kind, n.script) for n in ivanov.names] == [
        ("Sergey Petrovich Ivanov", "primary", "Latin"),
        ("Сергей Петрович Иванов", "original_script", "Cyrillic"),
        ("Serhiy Ivanov", "low_quality", "Latin"),
    ]
    assert ivanov.dates_of_birth == ["1961-07-05", "1962"]
    assert ivanov.countries == ["RU"]
    assert ivanov.identifiers[0].value == "720012345"
    assert ivanov.programmes == ["UKR"]
    assert records["1002"].schema == "entity"
    assert records["1003"].primary_name == "Il Example KIM"  # from firstName + lastName
    assert records["1003"].dates_of_birth == ["1975-03"]
    assert records["1003"].names[1].script == "Hangul"


def test_uk_csv_groups_rows_by_group_id():
    importer, records = _parsed(UK)

    assert importer.format == "uk_ofsi_csv"
    assert str(importer.publisher_date) == "2024-03-01"
    assert importer.stats["rows"] == 6
    assert list(records) == ["7001", "7002", "7003"]
    ivanov = records["7001"]
    assert [(n.name, n.kind, n.script) for n in ivanov.names] == [
        ("Sergey Petrovich IVANOV", "primary", "Latin"),
        ("Сергей Петрович ИВАНОВ", "original_script", "Cyrillic"),
        ("Serhiy IVANOV", "aka", "Latin"),
        ("Sergei IVANOFF", "low_quality", "Latin"),
    ]
    assert ivanov.dates_of_birth == ["1961-07-05", "1962"]  # "00/00/1962" is a year
    assert ivanov.countries == ["RU", "UA"]
    assert len(ivanov.addresses) == 1  # repeated on each row, kept once
    assert records["7002"].schema == "entity"
    assert records["7003"].schema == "vessel"


# --- detection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (SDN_2024, "ofac_csv"),
        (CONS_XML, "ofac_xml"),
        (CSL, "trade_gov_csl"),
        (DPL, "bis_dpl"),
        (UN, "un_xml"),
        (EU, "eu_fsf_xml"),
        (UK, "uk_ofsi_csv"),
    ],
    ids=lambda value: value.name if isinstance(value, Path) else value,
)
def test_detect_recognises_each_format_by_content_under_any_name(tmp_path, path, expected):
    disguised = tmp_path / "download.bin"
    shutil.copyfile(path, disguised)

    assert sniff(disguised).format == expected


def test_detect_recognises_each_ofac_csv_file_role_by_its_columns(tmp_path):
    for index, path in enumerate(SDN_2021):
        shutil.copyfile(path, tmp_path / f"part{index}.txt")

    roles = sorted(sniff(path).role for path in tmp_path.iterdir())
    importer = detect(sorted(tmp_path.iterdir()))

    assert roles == ["address", "alias", "comments", "primary"]
    assert len(importer.parse()) == 8976


def test_detect_groups_splits_files_into_one_importer_per_list():
    importers = detect_groups([*OFAC_V1, UN, EU])

    assert [(imp.format, len(imp.paths)) for imp in importers] == [
        ("ofac_csv", 4),
        ("un_xml", 1),
        ("eu_fsf_xml", 1),
    ]
    with pytest.raises(ImportFormatError, match="not one list but 3"):
        detect([*OFAC_V1, UN, EU])


def test_detect_refuses_an_unknown_file(tmp_path):
    unknown = tmp_path / "notes.txt"
    unknown.write_text("Dear colleague,\nplease find the list attached.\n")

    with pytest.raises(ImportFormatError, match=r"^notes\.txt: is not in any list format"):
        detect([unknown])


# --- text helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 Dec 1948", ["1948-12-10"]),
        ("Dec 1948", ["1948-12"]),
        ("1946", ["1946"]),
        ("circa 1970", ["1970"]),
        ("1960 to 1962", ["1960", "1961", "1962"]),
        ("01 Jan 1960 to 31 Dec 1962", ["1960-01-01", "1962-12-31"]),
        ("1957-04-15", ["1957-04-15"]),
        ("00/00/1962", ["1962"]),
        ("00/04/1962", ["1962-04"]),
        ("05/07/1961", ["1961-07-05"]),
        ("unknown", []),
    ],
)
def test_partial_dates(text, expected):
    assert partial_dates(text) == expected


@pytest.mark.parametrize(
    ("name", "script"),
    [
        ("MUÑOZ GARCÍA, José", "Latin"),
        ("صدام حسين التكريتي", "Arabic"),
        ("Банк ВТБ ПАО", "Cyrillic"),
        ("中国航天科工集团", "Han"),
        ("김정은", "Hangul"),
        ("\u041e\u041e\u041e «Ромашка» (Romashka)", "Cyrillic"),  # mixed: mostly Cyrillic
        ("11420", ""),
    ],
)
def test_name_script(name, script):
    assert name_script(name) == script


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Korea, North", "KP"),
        ("Burma", "MM"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Democratic Republic of the Congo", "CD"),
        ("United Kingdom", "GB"),
        ("Russian Federation", "RU"),
        ("sy", "SY"),
        ("undetermined", ""),
    ],
)
def test_country_code(name, code):
    assert country_code(name) == code

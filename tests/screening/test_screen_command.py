"""python manage.py screen: one name (a table, or --json), --batch and --compare files (one
JSON object per line), and clear errors for bad input, on the real UN list."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from screening.matching import engine
from screening.services import list_version_import

from .conftest import UN

SADDAM = "6908048"  # SADDAM HUSSEIN AL-TIKRITI (UN IQi.001), born 1937-04-28, Iraq
HIT_KEYS = {"list", "entry_id", "name", "matched_name", "score", "explanation"}


@pytest.fixture(scope="module")
def un_list(django_db_setup, django_db_blocker):
    """The UN Security Council list, imported once for this module in a transaction that is
    rolled back afterwards; each test runs in a savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield list_version_import(actor=None, paths=[UN])
        transaction.set_rollback(True)


@pytest.fixture
def lists(un_list, db):
    return un_list


def _run(*args) -> str:
    out = StringIO()
    call_command("screen", *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


def _lines(*args) -> list[dict]:
    return [json.loads(line) for line in _run(*args).splitlines()]


def _csv(tmp_path, text: str, name: str = "names.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _assert_result_shape(result: dict) -> None:
    assert set(result) == {"query", "threshold", "matches"}
    scores = [match["score"] for match in result["matches"]]
    assert scores == sorted(scores, reverse=True)
    for match in result["matches"]:
        assert set(match) == HIT_KEYS
        assert 0 <= match["score"] <= 1
        assert isinstance(match["explanation"], dict)


# --- one name -----------------------------------------------------------------------------


def test_screen_prints_a_table_of_hits_with_their_explanation(lists):
    output = _run("Saddam Hussein al-Tikriti")

    lines = output.splitlines()
    assert lines[0].startswith("Screened “Saddam Hussein al-Tikriti”, schema any; threshold ")
    assert lines[1].split() == ["score", "list", "entry", "id", "name", "matched", "name", "why"]
    best = lines[2]
    assert SADDAM in best
    assert "un_sc" in best
    assert "SADDAM HUSSEIN AL-TIKRITI" in best
    assert "name " in best  # the explanation: name similarity and tokens
    assert "saddam" in best.lower()


def test_screen_json_prints_the_engine_result(lists):
    result = json.loads(_run("Saddam Hussein al-Tikriti", "--json"))

    _assert_result_shape(result)
    best = result["matches"][0]
    assert (best["list"], best["entry_id"]) == ("un_sc", SADDAM)
    assert best["name"] == "SADDAM HUSSEIN AL-TIKRITI"
    assert result == json.loads(
        json.dumps(engine.screen(name="Saddam Hussein al-Tikriti").as_dict())
    )


def test_screen_passes_schema_country_birth_date_and_limit(lists):
    result = json.loads(
        _run(
            "saddam hussein",
            "--schema",
            "PERSON",
            "--country",
            "iq",
            "--birth-date",
            "1937-04",
            "--limit",
            "2",
            "--json",
        )
    )

    expected = engine.screen(
        name="saddam hussein", schema="person", country="IQ", birth_date="1937-04", limit=2
    ).as_dict()
    assert result == json.loads(json.dumps(expected))
    assert 1 <= len(result["matches"]) <= 2
    assert result["matches"][0]["entry_id"] == SADDAM


def test_screen_says_so_when_nothing_matches(lists):
    output = _run("Qwyzzt Vrumplebottom")

    assert "; 0 matches." in output.splitlines()[0]
    assert "No listed party scores at or above the threshold." in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Saddam", "--schema", "ship"], "--schema: “ship” is not a kind of party"),
        (["Saddam", "--country", "XX"], "--country: “XX” is not a country code"),
        (["Saddam", "--country", "IRQ"], "--country: “IRQ” is not a country code"),
        (["Saddam", "--birth-date", "1937-13"], "--birth-date: “1937-13” is not a date of birth"),
        (["Saddam", "--birth-date", "28/04/1937"], "--birth-date: “28/04/1937” is not a date"),
        (["Saddam", "--limit", "0"], "--limit: “0” is not a whole number from 1 to 100"),
        (["Saddam", "--limit", "ten"], "--limit: “ten” is not a whole number"),
        (["  ...  "], "NAME: Enter a name to look for."),
        ([], "Give exactly one of NAME, --batch FILE.csv or --compare FILE.csv."),
        (["Saddam", "--batch", "x.csv"], r"\(not NAME and --batch\)"),
        (["--batch", "x.csv", "--country", "IQ"], "--country applies to one NAME"),
    ],
)
def test_screen_rejects_bad_input_with_a_clear_message(lists, args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)


# --- --batch ------------------------------------------------------------------------------


def test_screen_batch_prints_one_json_object_per_row(lists, tmp_path):
    path = _csv(
        tmp_path,
        "query,schema,country,birth_date\n"
        "Saddam Hussein al-Tikriti,person,IQ,1937\n"
        "Qwyzzt Vrumplebottom,,,\n"
        "saddam husein al tikriti,,,\n",
    )

    results = _lines("--batch", path)

    assert len(results) == 3
    for result in results:
        _assert_result_shape(result)
    assert results[0]["matches"][0]["entry_id"] == SADDAM
    assert results[1]["matches"] == []
    assert results[2]["matches"][0]["entry_id"] == SADDAM
    expected = engine.screen(
        name="Saddam Hussein al-Tikriti", schema="person", country="IQ", birth_date="1937"
    ).as_dict()
    assert results[0] == json.loads(json.dumps(expected))


def test_screen_batch_only_prints_matches_at_or_above_the_threshold(lists, tmp_path):
    path = _csv(tmp_path, "query\nHussein\nSaddam Hussein\n")

    results = _lines("--batch", path, "--json")

    assert [result["query"] for result in results] == ["Hussein", "Saddam Hussein"]
    for result in results:
        for match in result["matches"]:
            # a list with its own threshold states it in the explanation
            floor = match["explanation"].get("threshold", result["threshold"])
            assert match["score"] >= floor


def test_screen_batch_reads_a_header_with_only_the_query_column_and_a_bom(lists, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffquery\r\nSaddam Hussein al-Tikriti\r\n".encode())

    (result,) = _lines("--batch", path)

    assert result["matches"][0]["entry_id"] == SADDAM


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,schema\nSaddam,\n", r"line 1: the header has no column query and has unknown "),
        ("query,birthdate\nSaddam,1937\n", r"line 1: the header has unknown column birthdate"),
        ("query,schema\nSaddam,person\nHussein,ship\n", r"line 3, column schema: “ship” is not"),
        ("query,country\nSaddam,IRQ\n", r"line 2, column country: “IRQ” is not a country code"),
        ("query,birth_date\nSaddam,1937-02-30\n", r"line 2, column birth_date: “1937-02-30”"),
        ("query,schema\n,person\n", r"line 2, column query: Enter a name to look for\."),
        ("query,schema\nSaddam,person,extra\n", r"line 2: has 3 fields; the header has 2\."),
        ("", r"names\.csv: is empty; the first line names the columns\."),
    ],
)
def test_screen_batch_rejects_a_bad_file_naming_the_line_and_column(lists, tmp_path, text, message):
    path = _csv(tmp_path, text)

    out = StringIO()
    with pytest.raises(CommandError, match=message):
        call_command("screen", "--batch", str(path), stdout=out)

    assert out.getvalue() == ""  # every row is checked before any is screened


def test_screen_batch_of_a_missing_or_binary_file_fails(lists, tmp_path):
    with pytest.raises(CommandError, match=r"nowhere\.csv: cannot be read"):
        _run("--batch", tmp_path / "nowhere.csv")
    binary = tmp_path / "latin1.csv"
    binary.write_bytes(b"query\nJos\xe9\n")
    with pytest.raises(CommandError, match=r"latin1\.csv: is not UTF-8 text"):
        _run("--batch", binary)


# --- --compare ----------------------------------------------------------------------------


def test_screen_compare_prints_score_and_match_per_pair(lists, tmp_path):
    path = _csv(
        tmp_path,
        "left,right,schema\n"
        "Saddam Hussein al-Tikriti,SADDAM HUSSEIN AL-TIKRITI,person\n"
        "Saddam Hussein al-Tikriti,Angela Dorothea Merkel,\n",
    )

    same, different = _lines("--compare", path, "--json")

    for pair in (same, different):
        assert set(pair) == {"left", "right", "score", "match"}
        assert 0 <= pair["score"] <= 1
    assert same["left"] == "Saddam Hussein al-Tikriti"
    assert same["right"] == "SADDAM HUSSEIN AL-TIKRITI"
    assert same["match"] is True
    assert different["match"] is False
    assert same["score"] > different["score"]
    score = engine.compare("Saddam Hussein al-Tikriti", "SADDAM HUSSEIN AL-TIKRITI", "person")
    assert same["score"] == pytest.approx(score, abs=1e-4)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("left,schema\nSaddam,person\n", r"line 1: the header has no column right"),
        ("left,right,schema\nSaddam,Hussein,boat\n", r"line 2, column schema: “boat” is not"),
        ("left,right\nSaddam,\n", r"line 2, column right: Enter a name to look for\."),
    ],
)
def test_screen_compare_rejects_a_bad_file(lists, tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        _run("--compare", _csv(tmp_path, text))

"""The labelled screening evaluation set (data/screening_eval/): well-formed files, every
expected entry present in the lists in force, every category measured with enough cases, and
a generator that writes the same files on every run. No database: the list files are parsed
through the importers, as the generator does."""

import csv
import filecmp
import importlib.util
import os
import re
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
EVAL = BASE / "data" / "screening_eval"
SCHEMAS = {"", "any", "person", "entity", "vessel", "aircraft"}
PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@cache
def _generator():
    spec = importlib.util.spec_from_file_location(
        "build_screening_eval", BASE / "benchmarks" / "build_screening_eval.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@cache
def _lists():
    return _generator().load_lists()


def _rows(name: str) -> tuple[list[str], list[dict]]:
    with (EVAL / name).open(newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        return list(reader.fieldnames or []), list(reader)


def test_screening_eval_cases_are_well_formed():
    generator = _generator()
    header, rows = _rows("cases.csv")

    assert header == generator.CASE_COLUMNS
    assert len(rows) >= 3000
    seen = set()
    for line, row in enumerate(rows, start=2):
        assert row["query"].strip() == row["query"] != "", line
        assert row["category"] in generator.MIN_CASES, line
        assert row["schema"] in SCHEMAS, line
        assert row["country"] == "" or re.fullmatch(r"[A-Z]{2}", row["country"]), line
        assert row["birth_date"] == "" or PARTIAL_DATE.fullmatch(row["birth_date"]), line
        assert bool(row["expected_list"]) == bool(row["expected_entry_id"]), line
        assert (row["category"], row["query"]) not in seen, line
        seen.add((row["category"], row["query"]))


def test_screening_eval_pairs_are_well_formed():
    generator = _generator()
    header, rows = _rows("pairs.csv")

    assert header == generator.PAIR_COLUMNS
    assert len(rows) >= 2000
    for line, row in enumerate(rows, start=2):
        assert row["left"].strip(), line
        assert row["right"].strip(), line
        assert row["schema"] in SCHEMAS - {""}, line
        assert row["match"] in ("true", "false"), line
        assert row["category"] in generator.MIN_CASES, line
    matches = Counter(row["match"] for row in rows)
    assert matches["true"] > 1000
    assert matches["false"] > 1000


def test_screening_eval_expected_entries_exist_in_the_lists_in_force():
    lists = _lists()
    _header, rows = _rows("cases.csv")

    missing = [
        (row["expected_list"], row["expected_entry_id"])
        for row in rows
        if row["expected_entry_id"]
        and lists.get(row["expected_list"], row["expected_entry_id"]) is None
    ]

    assert missing == []
    assert set(lists.active) == {
        "un_sc",
        "us_bis_dpl",
        "us_csl",
        "us_ofac_consolidated",
        "us_ofac_sdn",
    }
    # The 2025-12 SDN folder holds no sdn.csv, so it cannot make a version of its own.
    assert [paths for paths, _error in lists.skipped] == [
        [
            "us_ofac_sdn/2025-12/add.csv",
            "us_ofac_sdn/2025-12/alt.csv",
            "us_ofac_sdn/2025-12/sdn_comments.csv",
        ]
    ]


def test_screening_eval_negatives_are_not_listed_names():
    generator = _generator()
    listed = {
        generator.fold(name)
        for entry in _lists().all_versions()
        for name, _kind, _script in entry.names
    }
    _header, rows = _rows("cases.csv")

    listed_negatives = [
        row["query"]
        for row in rows
        if not row["expected_entry_id"] and generator.fold(row["query"]) in listed
    ]

    assert listed_negatives == []


def test_screening_eval_categories_have_enough_cases_of_each_kind():
    generator = _generator()
    _header, rows = _rows("cases.csv")
    counts = Counter(row["category"] for row in rows)
    positives = Counter(row["category"] for row in rows if row["expected_entry_id"])
    negatives = Counter(row["category"] for row in rows if not row["expected_entry_id"])

    for category, least in generator.MIN_CASES.items():
        assert counts[category] >= least, category
    for category in ("alias", "cross_script", "numbers", "short"):
        assert positives[category] >= 50, category
        assert negatives[category] >= 50, category
    assert sum(positives.values()) >= 2000
    assert sum(negatives.values()) >= 1500
    # Names in Arabic, Cyrillic, Han and Hangul script among the cross-script cases.
    scripts = {
        script
        for row in rows
        if row["category"].startswith("cross_script")
        for script, pattern in {
            "Arabic": "[\u0600-\u06ff]",
            "Cyrillic": "[\u0400-\u04ff]",
            "Han": "[\u4e00-\u9fff]",
            "Hangul": "[\uac00-\ud7af]",
        }.items()
        if re.search(pattern, row["query"])
    }
    assert scripts == {"Arabic", "Cyrillic", "Han", "Hangul"}


def test_build_screening_eval_is_deterministic(tmp_path):
    """Two runs of the generator, side by side in their own processes with different string
    hash seeds, write identical files, and the same files as those committed."""
    script = BASE / "benchmarks" / "build_screening_eval.py"
    runs = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        runs.append(
            (
                out,
                subprocess.Popen(
                    [sys.executable, str(script), "--out", str(out)],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                ),
            )
        )
    for _out, process in runs:
        _stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr.decode()

    (first, _), (second, _) = runs
    for name in ("cases.csv", "pairs.csv"):
        assert filecmp.cmp(first / name, second / name, shallow=False), name
        assert filecmp.cmp(first / name, EVAL / name, shallow=False), f"{name} is out of date"

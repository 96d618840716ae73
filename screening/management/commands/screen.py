"""python manage.py screen: screen names against the restricted-party lists in force.

    screen "NAME" [--schema person|entity|vessel|aircraft|any] [--country CC]
                  [--birth-date YYYY[-MM[-DD]]] [--limit N] [--json]
    screen --batch FILE.csv [--json]     columns query,schema,country,birth_date
    screen --compare FILE.csv [--json]   columns left,right,schema

One name prints a table of its hits (with --json: the engine's ScreenResult dict). A batch
prints one JSON object per row, {"query", "threshold", "matches"}, and a comparison one per
row, {"left", "right", "score", "match"}, matching at the default threshold of
settings.SCREENING_THRESHOLDS. Every value is checked first, with the rules of
the search page and the API (screening.forms); a bad one stops the command with a message
naming the file, line and column, before anything is screened.
"""

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from screening.forms import (
    LIMIT_DEFAULT,
    LIMIT_MAX,
    birth_date_clean,
    country_clean,
    name_clean,
    schema_clean,
)
from screening.views.lists import explanation_summary, threshold_text

BATCH_COLUMNS = ["query", "schema", "country", "birth_date"]
COMPARE_COLUMNS = ["left", "right", "schema"]

# column -> (the engine's keyword, the rule that checks and normalises the value)
BATCH_RULES: dict[str, tuple[str, Callable]] = {
    "query": ("name", name_clean),
    "schema": ("schema", schema_clean),
    "country": ("country", country_clean),
    "birth_date": ("birth_date", birth_date_clean),
}
COMPARE_RULES: dict[str, tuple[str, Callable]] = {
    "left": ("left", name_clean),
    "right": ("right", name_clean),
    "schema": ("schema", schema_clean),
}


@dataclass
class Row:
    line: int
    values: dict


class Command(BaseCommand):
    help = "Screen a name, or a CSV file of names or of name pairs, against the lists in force."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", metavar="NAME", help="The name to screen.")
        parser.add_argument(
            "--schema",
            help="person, entity, vessel, aircraft or any (the default); one NAME only.",
        )
        parser.add_argument("--country", help="ISO 3166-1 alpha-2 code; one NAME only.")
        parser.add_argument("--birth-date", help="YYYY, YYYY-MM or YYYY-MM-DD; one NAME only.")
        parser.add_argument(
            "--limit",
            help=f"At most this many hits (default {LIMIT_DEFAULT}, at most {LIMIT_MAX}).",
        )
        parser.add_argument(
            "--json", action="store_true", help="Print JSON (batches always print JSON lines)."
        )
        parser.add_argument(
            "--batch", metavar="FILE.csv", help="Columns query,schema,country,birth_date."
        )
        parser.add_argument("--compare", metavar="FILE.csv", help="Columns left,right,schema.")

    def handle(self, *args, name, batch, compare, **options) -> None:
        single_options = {
            "--schema": options["schema"],
            "--country": options["country"],
            "--birth-date": options["birth_date"],
            "--limit": options["limit"],
        }
        chosen = [
            mode
            for mode, value in (("NAME", name), ("--batch", batch), ("--compare", compare))
            if value is not None
        ]
        if len(chosen) != 1:
            raise CommandError(
                "Give exactly one of NAME, --batch FILE.csv or --compare FILE.csv"
                + (f" (not {' and '.join(chosen)})." if chosen else ".")
            )
        if name is None:
            given = [option for option, value in single_options.items() if value is not None]
            if given:
                raise CommandError(
                    f"{', '.join(given)} applies to one NAME; in a CSV file use the columns."
                )
        if batch is not None:
            self._batch(Path(batch))
        elif compare is not None:
            self._compare(Path(compare))
        else:
            self._single(name, single_options, as_json=options["json"])

    # --- one name ---------------------------------------------------------------------------

    def _single(self, name: str, options: dict, *, as_json: bool) -> None:
        query = {
            "name": _checked("NAME", name_clean, name),
            "schema": _checked("--schema", schema_clean, options["--schema"]),
            "country": _checked("--country", country_clean, options["--country"]),
            "birth_date": _checked("--birth-date", birth_date_clean, options["--birth-date"]),
            "limit": _limit(options["--limit"]),
        }
        result = _engine().screen(**query).as_dict()
        if as_json:
            self.stdout.write(_json(result))
        else:
            self.stdout.write(result_table(query, result))

    # --- CSV files --------------------------------------------------------------------------

    def _batch(self, path: Path) -> None:
        rows = _read(path, BATCH_COLUMNS, BATCH_RULES, required=["query"])
        screen = _engine().screen
        for row in rows:
            self.stdout.write(_json(screen(**row.values).as_dict()))

    def _compare(self, path: Path) -> None:
        rows = _read(path, COMPARE_COLUMNS, COMPARE_RULES, required=["left", "right"])
        engine = _engine()
        threshold = engine.thresholds()["default"]
        for row in rows:
            score = engine.compare(**row.values)
            self.stdout.write(
                _json(
                    {
                        "left": row.values["left"],
                        "right": row.values["right"],
                        "score": round(score, 4),
                        "match": score >= threshold,
                    }
                )
            )


def _engine():
    from screening.matching import engine  # loaded on first use

    return engine


def _json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False)


def _checked(option: str, clean: Callable, value):
    try:
        return clean(value)
    except ValidationError as error:
        raise CommandError(f"{option}: {error.messages[0]}") from error


def _limit(value: str | None) -> int:
    if value is None:
        return LIMIT_DEFAULT
    try:
        limit = int(value)
    except ValueError:
        limit = 0
    if not 1 <= limit <= LIMIT_MAX:
        raise CommandError(f"--limit: “{value}” is not a whole number from 1 to {LIMIT_MAX}.")
    return limit


def _read(
    path: Path, columns: list[str], rules: dict[str, tuple[str, Callable]], *, required: list[str]
) -> list[Row]:
    """Every row of a CSV file, each value checked by its column's rule, or a CommandError
    naming the file, line and column of the first bad value. Only `required` columns must be
    in the header; a row may leave the others empty."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [column.strip() for column in reader.fieldnames or []]
            if not header:
                raise CommandError(f"{path}: is empty; the first line names the columns.")
            reader.fieldnames = header
            missing = [column for column in required if column not in header]
            unknown = [column for column in header if column not in columns]
            if missing or unknown:
                problems = []
                if missing:
                    problems.append(f"has no column {', '.join(missing)}")
                if unknown:
                    problems.append(f"has unknown column {', '.join(unknown)}")
                raise CommandError(
                    f"{path}, line 1: the header {' and '.join(problems)} "
                    f"(the columns are {','.join(columns)})."
                )
            return list(_rows(path, reader, rules))
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror}).") from error
    except UnicodeDecodeError as error:
        raise CommandError(f"{path}: is not UTF-8 text ({error.reason}).") from error
    except csv.Error as error:
        raise CommandError(f"{path}: is not a CSV file ({error}).") from error


def _rows(path: Path, reader: csv.DictReader, rules: dict) -> Iterator[Row]:
    for record in reader:
        line = reader.line_num
        if None in record:
            raise CommandError(
                f"{path}, line {line}: has {len(reader.fieldnames) + len(record[None])} "
                f"fields; the header has {len(reader.fieldnames)}."
            )
        values = {}
        for column, (keyword, clean) in rules.items():
            try:
                values[keyword] = clean(record.get(column))
            except ValidationError as error:
                raise CommandError(
                    f"{path}, line {line}, column {column}: {error.messages[0]}"
                ) from error
        yield Row(line=line, values=values)


# --- the table of one name's hits -------------------------------------------------------------


def result_table(query: dict, result: dict) -> str:
    """One name's hits as a text table: score, list, entry id, name, matched name, and the
    features of the explanation that mattered."""
    described = [f"“{query['name']}”", f"schema {query['schema']}"]
    if query["country"]:
        described.append(f"country {query['country']}")
    if query["birth_date"]:
        described.append(f"born {query['birth_date']}")
    matches = result["matches"]
    lines = [
        f"Screened {', '.join(described)}; threshold {threshold_text(result['threshold'])}; "
        f"{len(matches)} match{'es' if len(matches) != 1 else ''}."
    ]
    if not matches:
        lines.append("No listed party scores at or above the threshold.")
        return "\n".join(lines)
    header = ["score", "list", "entry id", "name", "matched name", "why"]
    rows = [
        [
            f"{match['score']:.2f}",
            str(match["list"]),
            str(match["entry_id"]),
            _cut(match["name"], 40),
            _cut(match["matched_name"], 40),
            explanation_summary(match.get("explanation") or {}),
        ]
        for match in matches
    ]
    widths = [max(len(row[index]) for row in [header, *rows]) for index in range(len(header) - 1)]
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"

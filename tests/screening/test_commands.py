"""python manage.py import_lists: one line per imported version, a clear failure otherwise."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from screening.management.commands.import_lists import Command as ImportListsCommand
from screening.models import ListVersion

from .conftest import EU, OFAC_MALFORMED, OFAC_V1, OFAC_V2, UK

LINE = re.compile(
    r"^(?P<source>\w+) version (?P<pk>\d+) \((?P<date>[\d-]+|undated); (?P<files>[^)]*)\): "
    r"(?P<entries>\d+) entries, (?P<aliases>\d+) aliases, (?P<addresses>\d+) addresses; "
    r"(?P<differences>.+) \[\d+\.\d s\]$"
)


def _run(*paths) -> list[str]:
    out = StringIO()
    call_command("import_lists", *[str(path) for path in paths], stdout=out)
    return out.getvalue().splitlines()


def test_import_lists_prints_one_line_per_version(db):
    lines = _run(*OFAC_V1, EU, UK)

    assert len(lines) == 3
    ofac, eu, uk = (LINE.match(line) for line in lines)
    assert ofac["source"] == "us_ofac_sdn"
    assert ofac["files"] == "add.csv, alt.csv, sdn.csv, sdn_comments.csv"
    assert (ofac["entries"], ofac["aliases"], ofac["addresses"]) == ("4", "6", "4")
    assert ofac["date"] == "undated"
    assert ofac["differences"] == "first version"
    assert (eu["source"], eu["date"], eu["entries"]) == ("eu_fsf", "2024-03-01", "3")
    assert (uk["source"], uk["entries"]) == ("uk_ofsi", "3")
    assert ListVersion.objects.count() == 3


def test_import_lists_prints_the_differences(db):
    first = _run(*OFAC_V1)
    second = LINE.match(_run(*OFAC_V2)[0])

    previous = LINE.match(first[0])["pk"]
    assert second["differences"] == f"1 added, 1 removed, 1 changed since version {previous}"


def test_import_lists_takes_a_publisher_date(db):
    line = LINE.match(_run(*OFAC_V1, "--publisher-date", "2024-05-03")[0])

    assert line["date"] == "2024-05-03"


def test_import_lists_malformed_file_fails_with_the_message(db):
    _run(*OFAC_V1)

    with pytest.raises(CommandError, match=r"sdn\.csv, line 3: has 11 fields") as failed:
        call_command("import_lists", str(OFAC_MALFORMED), stdout=StringIO())

    assert failed.value.returncode == 1
    active = ListVersion.objects.get(status=ListVersion.Status.ACTIVE)
    assert active.entry_count == 4


def test_import_lists_unknown_file_fails(db, tmp_path):
    unknown = tmp_path / "letter.txt"
    unknown.write_text("nothing to see\n")

    with pytest.raises(CommandError, match=r"letter\.txt: is not in any list format"):
        call_command("import_lists", str(unknown), stdout=StringIO())


def test_import_lists_exits_non_zero_with_the_message_on_stderr(db, capsys, monkeypatch):
    """As from the shell: Django prints the CommandError and exits with status 1."""
    command = ImportListsCommand()
    # run_from_argv closes the connections when it ends; the test's transaction needs its own.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["manage.py", "import_lists", str(OFAC_MALFORMED)])

    assert exited.value.code == 1
    assert "sdn.csv, line 3: has 11 fields" in capsys.readouterr().err
    assert not ListVersion.objects.exists()

"""The committed workflow diagrams (docs/*.dot) must match the declared transitions."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize(
    ("model", "diagram"),
    [
        ("licensing.Application", "application-workflow.dot"),
        ("licensing.Licence", "licence-workflow.dot"),
        ("appeals.Appeal", "appeal-workflow.dot"),
    ],
)
def test_graph_transitions_matches_the_committed_diagram(model, diagram):
    output = StringIO()
    call_command("graph_transitions", model, stdout=output)
    generated = sorted(output.getvalue().split("\n"))
    committed = sorted((DOCS / diagram).read_text().split("\n"))
    assert generated == committed, (
        f"regenerate docs/{diagram} with manage.py graph_transitions {model}"
    )

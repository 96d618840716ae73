"""python manage.py determine_licence --control 3A001 --destination DE [--json]

Prints the licence determination for one control code and destination: the outcome, each
reason for control with its chart column and citations, the destination's footnotes, the
licence exceptions that may be available and the data version. With --json, the
determination as JSON. An unknown code or destination, or no control data, is an error with a
non-zero exit.
"""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from screening.controls import Determination, licence_determine
from screening.controls.determination import ControlDataMissingError

REQUIRED_TEXT = {True: "licence required", False: "no X in the chart cell", "refer": "refer"}


class Command(BaseCommand):
    help = "Determine whether a control code needs a licence to a destination."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--control", required=True, help="ECCN (e.g. 3A001.b.2) or EAR99.")
        parser.add_argument("--destination", required=True, help="ISO 3166 alpha-2, e.g. DE.")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, control: str, destination: str, json: bool = False, **options):
        try:
            result = licence_determine(control_code=control, destination=destination)
        except ControlDataMissingError as error:
            raise CommandError(error.message) from error
        refused = result.problem_codes & {"unknown_control_code", "unknown_destination"}
        if refused:
            raise CommandError(" ".join(p["message"] for p in result.problems))
        self.stdout.write(_json(result) if json else determination_text(result))


def _json(result: Determination) -> str:
    return json.dumps(result.as_dict(), indent=2, ensure_ascii=False)


def determination_text(result: Determination) -> str:
    lines = [
        f"{result.control_code} to {result.destination_name or result.destination} "
        f"({result.destination}): {result.headline}",
        f"Licence required: {REQUIRED_TEXT[result.licence_required]}",
    ]
    if result.heading:
        lines.append(f"Entry: {result.heading}")
    if result.territory:
        lines.append(f"Territory: {result.territory}")
    if result.embargo:
        lines.append(f"Embargo: {result.embargo['citation']}")
    if result.country_groups:
        lines.append(f"Country Groups: {', '.join(result.country_groups)}")
    lines.append("Reasons:")
    for reason in result.reasons:
        name = reason.column or reason.reason or "(unnamed)"
        lines.append(f"  {name:<8} {REQUIRED_TEXT[reason.required]:<24} {reason.citation}")
    if not result.reasons:
        lines.append("  (none)")
    for footnote in result.footnotes:
        lines.append(f"Footnote {footnote['number']}: {footnote['text']}")
    for exception in result.licence_exceptions:
        title = f" ({exception['title']})" if exception["title"] else ""
        lines.append(
            f"Licence exception {exception['symbol']}{title} {exception['note']}: "
            f"{exception['conditions']}"
        )
    if result.eu_annex:
        lines.append(f"EU Annex I: {result.eu_annex['code']} {result.eu_annex['heading']}")
    lines.extend(f"Note: {note}" for note in result.notes)
    lines.append("Data: " + ", ".join(result.data_version.values()))
    return "\n".join(lines)

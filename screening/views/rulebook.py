"""The public rule book: which rules screen applications, why, and since when.

No sign-in needed. The selectors return only what is published (title, kind, public
justification, dates, change reasons and status), never a rule's weight, parameters or owner.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..models import Rule
from ..selectors_rules import rule_book_list, rule_book_versions_get


@require_GET
def rule_book(request: HttpRequest) -> HttpResponse:
    """Every rule in force (with a pilot beside it) and the rules retired or lapsed."""
    return render(request, "screening/rulebook.html", rule_book_list())


@require_GET
def rule_book_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One rule's history of versions, newest first."""
    versions = rule_book_versions_get(code=code)
    in_force = sorted(  # the live version first, then a pilot beside it
        (version for version in versions if version.status == Rule.Status.CURRENT),
        key=lambda version: version.is_pilot,
    )
    return render(
        request,
        "screening/rulebook_detail.html",
        {"code": code, "versions": versions, "latest": versions[0], "in_force": in_force},
    )

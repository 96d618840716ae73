"""The review page of a pilot rule: how its shadow flags compare with the live rule's flags on
the same cases, and, for policy admins, the decision to promote it to live.

- pilot_review (/screening/rules/<code>/pilot/): policy admins and auditors read the
  comparison; only policy admins may post the promotion (403 for anyone else). 404 when the
  rule code has no pilot in force.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ..forms_rules import PilotPromoteForm
from ..selectors_pilots import pilot_comparison, pilot_get_for_user
from ..selectors_rules import MANAGE_RULES_PERMISSION, VIEW_RULE_PERMISSION
from ..services.rules import pilot_promote


@login_required
@permission_required(VIEW_RULE_PERMISSION, raise_exception=True)
def pilot_review(request: HttpRequest, code: str) -> HttpResponse:
    can_promote = request.user.has_perm(MANAGE_RULES_PERMISSION)
    if request.method == "POST" and not can_promote:
        raise PermissionDenied("Only policy admins may promote a pilot to live.")
    pilot = pilot_get_for_user(user=request.user, code=code)
    form = PilotPromoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            live = pilot_promote(actor=request.user, pilot=pilot, **form.cleaned_data)
        except ValidationError as error:
            form.service_errors_add(error)
        else:
            messages.success(
                request,
                f"Pilot v{pilot.version} of {live.code} promoted to live as version "
                f"{live.version}; a public notice is published and open cases are being "
                "re-screened.",
            )
            return redirect("screening:rule_detail", code=live.code)
    context = {
        "pilot": pilot,
        "comparison": pilot_comparison(pilot=pilot),
        "form": form,
        "can_promote": can_promote,
    }
    return render(request, "screening/pilot_review.html", context)

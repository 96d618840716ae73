"""Sunset reviews for policy admins (who decide them) and auditors (who read them).

- sunset_review_queue: open reviews, soonest due first, overdue ones tagged
- sunset_review_detail: the evidence for the rule version or control dataset under review,
  and the decision form
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from exportgov.core.forms import StyledFormMixin
from exportgov.core.paging import PAGE_SIZE

from ..models import SunsetReview
from ..selectors_pilots import pilot_comparison
from ..selectors_reviews import (
    dataset_review_evidence,
    rule_review_evidence,
    sunset_review_get_for_user,
    sunset_review_queue_for_user,
)
from ..selectors_rules import MANAGE_RULES_PERMISSION, VIEW_RULE_PERMISSION
from ..services.reviews import decisions_allowed, sunset_review_decide

Decision = SunsetReview.Decision


class SunsetDecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        help_text="Amend records the decision; you then make the new version.",
    )
    new_sunset_on = forms.DateField(
        required=False,
        label="New sunset date (renewals; optional when promoting a pilot)",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Published with the public notice of the decision.",
    )

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(value, Decision(value).label) for value in allowed]
        self.fields["decision"].choices = [("", "Choose a decision"), *choices]


@login_required
@permission_required(VIEW_RULE_PERMISSION, raise_exception=True)
def sunset_review_queue(request: HttpRequest) -> HttpResponse:
    reviews = sunset_review_queue_for_user(user=request.user)
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "screening/sunset_review_queue.html", {"page": page})


@login_required
@permission_required(VIEW_RULE_PERMISSION, raise_exception=True)
def sunset_review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = sunset_review_get_for_user(user=request.user, pk=pk)
    can_decide = (
        request.user.has_perm(MANAGE_RULES_PERMISSION) and review.status == review.Status.OPEN
    )
    form = SunsetDecisionForm(request.POST or None, allowed=decisions_allowed(review))
    if request.method == "POST":
        if not request.user.has_perm(MANAGE_RULES_PERMISSION):
            raise PermissionDenied("Only policy admins may decide sunset reviews.")
        if form.is_valid():
            try:
                review = sunset_review_decide(
                    actor=request.user, review=review, **form.cleaned_data
                )
            except ValidationError as error:
                form.service_errors_add(error)
            else:
                return _decided_redirect(request, review)
    if review.rule_id is not None:
        evidence = rule_review_evidence(rule=review.rule)
    else:
        evidence = dataset_review_evidence(dataset=review.control_dataset)
    context = {
        "review": review,
        "rule": review.rule,
        "dataset": review.control_dataset,
        "evidence": evidence,
        "comparison": _pilot_comparison(review),
        "form": form,
        "can_decide": can_decide,
    }
    return render(request, "screening/sunset_review_detail.html", context)


def _pilot_comparison(review: SunsetReview) -> dict | None:
    """A pilot's review also weighs its shadow flags against the live rule's."""
    if review.rule_id is None or not review.rule.is_pilot:
        return None
    return pilot_comparison(pilot=review.rule)


def _decided_redirect(request: HttpRequest, review: SunsetReview) -> HttpResponse:
    """After a decision: amending goes where the new version is made, the rest stay here."""
    if review.decision == Decision.AMEND and review.rule_id is not None:
        code = review.rule.code
        messages.success(request, f"Decision recorded: amend {code}. Save the new version below.")
        return redirect("screening:rule_edit", code=code)
    if review.decision == Decision.AMEND:
        messages.success(
            request,
            "Decision recorded: amend. Import the new edition of the data "
            "(manage.py import_controls); its import publishes the notice.",
        )
        return redirect("screening:control_dataset_list")
    messages.success(request, f"Decision recorded: {review.get_decision_display().lower()}.")
    return redirect("screening:sunset_review_detail", pk=review.pk)

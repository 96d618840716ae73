"""Sunset reviews for policy admins (who decide them) and auditors (who read them).

- sunset_review_queue: open reviews, soonest due first, overdue ones tagged
- sunset_review_detail: the evidence for the rule version under review and the decision form
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

from ..models import SunsetReview
from ..selectors_reviews import (
    rule_review_evidence,
    sunset_review_get_for_user,
    sunset_review_queue_for_user,
)
from ..selectors_rules import MANAGE_RULES_PERMISSION, VIEW_RULE_PERMISSION
from ..services.reviews import sunset_review_decide

Decision = SunsetReview.Decision
REVIEWS_PER_PAGE = 25


class SunsetDecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("", "Choose a decision"), *Decision.choices],
        help_text="Amend records the decision; you then save the new version of the rule.",
    )
    new_sunset_on = forms.DateField(
        required=False,
        label="New sunset date (renewals only)",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Published with the public notice of the decision.",
    )

    def service_errors_add(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, field_messages in error.message_dict.items():
            target = field if field in self.fields else None
            for message in field_messages:
                self.add_error(target, message)


@login_required
@permission_required(VIEW_RULE_PERMISSION, raise_exception=True)
def sunset_review_queue(request: HttpRequest) -> HttpResponse:
    reviews = sunset_review_queue_for_user(user=request.user)
    page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "screening/sunset_review_queue.html", {"page": page})


@login_required
@permission_required(VIEW_RULE_PERMISSION, raise_exception=True)
def sunset_review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = sunset_review_get_for_user(user=request.user, pk=pk)
    can_decide = (
        request.user.has_perm(MANAGE_RULES_PERMISSION) and review.status == review.Status.OPEN
    )
    form = SunsetDecisionForm(request.POST or None)
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
                rule = review.rule
                if review.decision == Decision.AMEND:
                    messages.success(
                        request,
                        f"Decision recorded: amend {rule.code}. Save the new version below.",
                    )
                    return redirect("screening:rule_edit", code=rule.code)
                messages.success(
                    request, f"Decision recorded: {review.get_decision_display().lower()}."
                )
                return redirect("screening:sunset_review_detail", pk=review.pk)
    context = {
        "review": review,
        "rule": review.rule,
        "evidence": rule_review_evidence(rule=review.rule),
        "form": form,
        "can_decide": can_decide,
    }
    return render(request, "screening/sunset_review_detail.html", context)

"""The officials' queue filters: presets, status, tier, destination, applicant, deadline, sort."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from django_countries import countries

from exportgov.core.forms import StyledFormMixin

from . import deadlines
from .models import Application, Party, Tier

Status = Application.Status

# Cases the licensing unit is working on: routed to it and not yet decided or withdrawn.
OPEN_STATUSES = [
    Status.TRIAGE,
    Status.UNDER_REVIEW,
    Status.INFO_REQUESTED,
    Status.IN_CONSULTATION,
    Status.RECOMMENDED,
]

# The whitelisted `sort` values and their ordering; nulls (no risk score, no deadline) last.
SORTS = {
    "deadline": ("Deadline, soonest first", [F("deadline_on").asc(nulls_last=True)]),
    "-deadline": ("Deadline, latest first", [F("deadline_on").desc(nulls_last=True)]),
    "risk": ("Risk score, highest first", [F("risk_score").desc(nulls_last=True)]),
    "-risk": ("Risk score, lowest first", [F("risk_score").asc(nulls_last=True)]),
    "submitted": ("Submitted, oldest first", [F("submitted_at").asc(nulls_last=True)]),
    "-submitted": ("Submitted, newest first", [F("submitted_at").desc(nulls_last=True)]),
    "reference": ("Reference, A to Z", [F("reference").asc()]),
    "-reference": ("Reference, Z to A", [F("reference").desc()]),
}


class FilterForm(StyledFormMixin, forms.Form):
    pass


def sorted_by(queryset: QuerySet[Application], sort: str) -> QuerySet[Application]:
    """Order by one of SORTS, then by deadline and id so that pages are stable."""
    return queryset.order_by(*SORTS[sort][1], F("deadline_on").asc(nulls_last=True), "pk")


class TriageQueueFilter(django_filters.FilterSet):
    """Filters of the triage queue (every case there is in triage and unassigned)."""

    tier = django_filters.ChoiceFilter(choices=Tier.choices, label="Tier", empty_label="Any")
    country = django_filters.ChoiceFilter(
        choices=countries, method="filter_country", label="Destination", empty_label="Any"
    )
    organisation = django_filters.CharFilter(
        field_name="organisation__name", lookup_expr="icontains", label="Applicant"
    )
    deadline = django_filters.ChoiceFilter(
        choices=[
            (deadlines.DeadlineState.OVERDUE, "Overdue"),
            (deadlines.DeadlineState.DUE_SOON, "Due soon"),
        ],
        method="filter_deadline",
        label="Deadline",
        empty_label="Any",
    )
    sort = django_filters.ChoiceFilter(
        choices=[(value, label) for value, (label, _order) in SORTS.items()],
        method="filter_sort",
        label="Sort by",
        empty_label="Default",
    )

    class Meta:
        model = Application
        form = FilterForm
        fields = ["tier", "country", "organisation", "deadline", "sort"]

    def filter_country(self, queryset, name, value):
        parties = Party.objects.filter(application=OuterRef("pk"), country=value)
        return queryset.filter(Exists(parties))

    def filter_deadline(self, queryset, name, value):
        """Cases (or appeals) whose running clock is overdue or due soon; see
        `deadlines.deadline_state_q`."""
        return queryset.filter(deadlines.deadline_state_q(state=value, today=timezone.localdate()))

    def filter_sort(self, queryset, name, value):
        return sorted_by(queryset, value)


class CaseQueueFilter(TriageQueueFilter):
    """Filters of the team queue: also who has the case and where it is in the workflow."""

    assigned = django_filters.ChoiceFilter(
        choices=[("mine", "Assigned to me"), ("unassigned", "Unassigned")],
        method="filter_assigned",
        label="Show",
        empty_label="All cases",
    )
    status = django_filters.ChoiceFilter(
        choices=[(status.value, status.label) for status in OPEN_STATUSES],
        label="Status",
        empty_label="Any open",
    )

    class Meta:
        model = Application
        form = FilterForm
        fields = ["assigned", "status", "tier", "country", "organisation", "deadline", "sort"]

    def filter_assigned(self, queryset, name, value):
        if value == "mine":
            return queryset.filter(assigned_officer=self.request.user)
        return queryset.filter(assigned_officer__isnull=True)

"""The appeals queue's filters: status, subject, reviewer (mine or all) and deadline."""

import django_filters
from django.db.models import F, QuerySet

from licensing import deadlines
from licensing.filters import FilterForm, TriageQueueFilter

from .models import Appeal

Status = Appeal.Status

# Appeals the reviewers are working on (lodged, not yet decided or withdrawn): the queue's
# default, and counted when choosing the least loaded reviewer.
OPEN_STATUSES = [
    Status.LATE_REVIEW,
    Status.LODGED,
    Status.UNDER_REVIEW,
    Status.INFO_REQUESTED,
]


def sorted_by_deadline(queryset: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """Soonest deadline first (none last), then the oldest lodged, so that pages are stable."""
    return queryset.order_by(
        F("deadline_on").asc(nulls_last=True), F("lodged_at").asc(nulls_last=True), "pk"
    )


class AppealQueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[(status.value, status.label) for status in Status if status != Status.DRAFT],
        method="filter_status",
        label="Status",
        empty_label="Any open",
    )
    subject = django_filters.ChoiceFilter(
        choices=Appeal.Subject.choices, label="What is appealed", empty_label="Anything"
    )
    reviewer = django_filters.ChoiceFilter(
        choices=[("mine", "Assigned to me"), ("unassigned", "Unassigned")],
        method="filter_reviewer",
        label="Show",
        empty_label="All appeals",
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

    class Meta:
        model = Appeal
        form = FilterForm
        fields = ["status", "subject", "reviewer", "deadline"]

    @property
    def qs(self):
        queryset = super().qs
        if not (self.form.is_bound and self.form.is_valid() and self.form.cleaned_data["status"]):
            queryset = queryset.filter(status__in=OPEN_STATUSES)
        return sorted_by_deadline(queryset)

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value)

    def filter_reviewer(self, queryset, name, value):
        if value == "mine":
            return queryset.filter(reviewer=self.request.user)
        return queryset.filter(reviewer__isnull=True)

    filter_deadline = TriageQueueFilter.filter_deadline

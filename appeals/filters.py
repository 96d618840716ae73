"""The appeals queue: its open statuses, its order, and the web queue's filter form (status,
subject, reviewer, deadline, search), which `selectors.appeal_queue` applies as the API's
filters are."""

from django import forms
from django.db.models import F, QuerySet

from licensing import deadlines
from licensing.filters import FilterForm

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


class AppealQueueFilterForm(FilterForm):
    """The queue page's filters; every one is optional (no status: the open appeals)."""

    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "Any open")]
        + [(status.value, status.label) for status in Status if status != Status.DRAFT],
    )
    subject = forms.ChoiceField(
        required=False,
        label="What is appealed",
        choices=[("", "Anything"), *Appeal.Subject.choices],
    )
    reviewer = forms.ChoiceField(
        required=False,
        label="Show",
        choices=[("", "All appeals"), ("mine", "Assigned to me"), ("unassigned", "Unassigned")],
    )
    deadline = forms.ChoiceField(
        required=False,
        label="Deadline",
        choices=[
            ("", "Any"),
            (deadlines.DeadlineState.OVERDUE, "Overdue"),
            (deadlines.DeadlineState.DUE_SOON, "Due soon"),
        ],
    )
    q = forms.CharField(
        required=False, max_length=100, label="Appeal, case or applicant", strip=True
    )

    def selector_filters(self) -> dict:
        """The answers that validate, as `selectors.appeal_queue` takes them (one that does not
        is left out and its error shown on the form)."""
        self.is_valid()
        answers = getattr(self, "cleaned_data", {})  # none on an unbound form
        filters = {name: value for name, value in answers.items() if value}
        if filters.get("reviewer") == "mine":
            filters["reviewer"] = "me"
        return filters

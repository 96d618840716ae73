import django_filters
from django.db.models import Q

from .models import AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    """The auditor's filters: actor, verb, object and date range."""

    actor = django_filters.CharFilter(
        field_name="actor_label", lookup_expr="icontains", label="Actor"
    )
    verb = django_filters.ChoiceFilter(choices=AuditEvent.Verb.choices, label="Action")
    target = django_filters.CharFilter(
        method="filter_target", label="Object", help_text="Type, id or name"
    )
    date_from = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label="From"
    )
    date_to = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label="To"
    )

    class Meta:
        model = AuditEvent
        fields = ["actor", "verb", "target", "date_from", "date_to"]

    def filter_target(self, queryset, name, value):
        return queryset.filter(
            Q(target_type__iexact=value) | Q(target_id=value) | Q(target_label__icontains=value)
        )

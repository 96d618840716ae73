from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.views import APIView

from exportgov.core.api import Pagination

from .filters import AuditEventFilter
from .selectors import audit_event_list


class CanViewAuditLog(BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.user.has_perm("audit.view_auditevent")


class AuditEventListApi(APIView):
    """The audit log, newest first, for auditors; same filters as the audit page."""

    permission_classes = [CanViewAuditLog]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        created_at = serializers.DateTimeField()
        actor = serializers.CharField(source="actor_label")
        verb = serializers.CharField()
        target_type = serializers.CharField()
        target_id = serializers.CharField()
        target_label = serializers.CharField()
        from_status = serializers.CharField()
        to_status = serializers.CharField()
        payload = serializers.JSONField()
        hash = serializers.CharField()
        prev_hash = serializers.CharField()

    def get(self, request):
        event_filter = AuditEventFilter(request.query_params, queryset=audit_event_list())
        if not event_filter.is_valid():
            raise serializers.ValidationError(event_filter.errors)
        paginator = Pagination()
        page = paginator.paginate_queryset(event_filter.qs, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)

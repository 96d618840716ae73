from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, and only `audit_record` writes to it."""

    list_display = ["id", "created_at", "actor_label", "verb", "target_type", "target_label"]
    list_filter = ["verb", "target_type"]
    search_fields = ["actor_label", "target_label", "target_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

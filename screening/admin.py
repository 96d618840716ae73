"""Django admin for technical staff: read-only views of what the importers stored.
Lists change only through screening.services (the import_lists command or the fetch task)."""

from django.contrib import admin

from .models import ListEntry, ListSource, ListVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ListSource)
class ListSourceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "publisher", "fetch_url"]


@admin.register(ListVersion)
class ListVersionAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "source",
        "status",
        "publisher_date",
        "imported_at",
        "entry_count",
        "alias_count",
        "added_count",
        "removed_count",
        "changed_count",
    ]
    list_filter = ["source", "status"]
    list_select_related = ["source"]


@admin.register(ListEntry)
class ListEntryAdmin(ReadOnlyAdmin):
    list_display = ["entry_id", "primary_name", "schema", "version"]
    list_filter = ["schema"]
    search_fields = ["primary_name", "entry_id"]
    list_select_related = ["version__source"]
    show_full_result_count = False

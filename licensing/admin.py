"""Django admin for technical staff.

The two managed catalogues (licence conditions, refusal criteria) are edited here. Everything
else is read-only: a case or a licence changes only through the services in
`licensing/services/`, which check the actor, audit the change and notify people, so the
admin never edits a status (or anything else) behind their back.
"""

from django.contrib import admin

from .models import (
    Advice,
    Application,
    CaseNote,
    Consultation,
    Decision,
    Document,
    InformationRequest,
    Item,
    Licence,
    LicenceCondition,
    LicenceItem,
    Party,
    Recommendation,
    RefusalCriterion,
    Shipment,
    ShipmentLine,
)


@admin.register(LicenceCondition)
class LicenceConditionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "active"]
    list_filter = ["active"]
    search_fields = ["code", "title", "text"]


@admin.register(RefusalCriterion)
class RefusalCriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "active"]
    list_filter = ["active"]
    search_fields = ["code", "title", "description"]


class ReadOnlyMixin:
    """Shown, never added, changed or deleted here: the services own every write."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    show_change_link = True


class ItemInline(ReadOnlyInline):
    model = Item
    fields = ["description", "control_code", "quantity", "unit", "value", "currency"]


class PartyInline(ReadOnlyInline):
    model = Party
    fields = ["role", "name", "kind", "country"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "organisation",
        "kind",
        "status",
        "tier",
        "assigned_officer",
        "deadline_on",
        "created_at",
    ]
    list_filter = ["status", "kind", "tier"]
    list_select_related = ["organisation", "assigned_officer"]
    search_fields = ["reference", "title", "organisation__name"]
    date_hierarchy = "created_at"
    inlines = [ItemInline, PartyInline]


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["description", "control_code", "application", "quantity", "unit", "value"]
    list_select_related = ["application"]
    search_fields = ["description", "control_code", "application__reference"]


@admin.register(Party)
class PartyAdmin(ReadOnlyAdmin):
    list_display = ["name", "role", "kind", "country", "application"]
    list_filter = ["role", "kind"]
    list_select_related = ["application"]
    search_fields = ["name", "aliases", "application__reference"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "kind", "application", "content_type", "size", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["application"]
    search_fields = ["original_name", "application__reference"]


@admin.register(CaseNote)
class CaseNoteAdmin(ReadOnlyAdmin):
    list_display = ["application", "author", "created_at"]
    list_select_related = ["application", "author"]
    search_fields = ["application__reference"]


@admin.register(InformationRequest)
class InformationRequestAdmin(ReadOnlyAdmin):
    list_display = ["application", "requested_by", "created_at", "answered_at"]
    list_select_related = ["application", "requested_by"]
    search_fields = ["application__reference"]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["application", "team", "requested_by", "created_at"]
    list_select_related = ["application", "team", "requested_by"]
    search_fields = ["application__reference"]


@admin.register(Advice)
class AdviceAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "advisor", "outcome", "created_at"]
    list_filter = ["outcome"]
    list_select_related = ["consultation__team", "consultation__application", "advisor"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["application", "officer", "outcome", "created_at"]
    list_filter = ["outcome"]
    list_select_related = ["application", "officer"]
    search_fields = ["application__reference"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["application", "decided_by", "outcome", "created_at"]
    list_filter = ["outcome"]
    list_select_related = ["application", "decided_by"]
    search_fields = ["application__reference"]


class LicenceItemInline(ReadOnlyInline):
    model = LicenceItem
    fields = [
        "description",
        "control_code",
        "quantity",
        "unit",
        "value",
        "currency",
        "shipped_quantity",
        "shipped_value",
    ]
    show_change_link = False


class ShipmentInline(ReadOnlyInline):
    model = Shipment
    fields = ["shipped_on", "reference", "recorded_by", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Licence)
class LicenceAdmin(ReadOnlyAdmin):
    list_display = ["number", "organisation", "status", "issued_at", "expires_on"]
    list_filter = ["status"]
    list_select_related = ["organisation"]
    search_fields = ["number", "organisation__name", "application__reference"]
    date_hierarchy = "issued_at"
    inlines = [LicenceItemInline, ShipmentInline]


class ShipmentLineInline(ReadOnlyInline):
    model = ShipmentLine
    fields = ["licence_item", "quantity", "value"]
    show_change_link = False


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = ["licence", "shipped_on", "reference", "recorded_by", "created_at"]
    list_select_related = ["licence", "recorded_by"]
    search_fields = ["licence__number", "reference"]
    inlines = [ShipmentLineInline]

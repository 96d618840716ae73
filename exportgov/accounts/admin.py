from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from guardian.admin import GuardedModelAdmin

from .models import Invitation, Membership, Organisation, Team, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "is_active"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(GuardedModelAdmin):
    list_display = ["name", "kind", "country"]
    search_fields = ["name", "registration_number"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "status", "expires_at"]
    list_filter = ["status"]
    readonly_fields = ["token"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    filter_horizontal = ["members"]

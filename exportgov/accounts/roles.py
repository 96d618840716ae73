"""The roles of DESIGN.md. Each role is a Django group; its model permissions are declared here."""

from django.db import models


class Role(models.TextChoices):
    EXPORTER = "exporter", "Exporter"
    CASE_OFFICER = "case_officer", "Case officer"
    SENIOR_OFFICIAL = "senior_official", "Senior official"
    ADVISOR = "advisor", "Advisor"
    APPEALS_REVIEWER = "appeals_reviewer", "Appeals reviewer"
    POLICY_ADMIN = "policy_admin", "Policy admin"
    AUDITOR = "auditor", "Auditor"


GOVERNMENT_ROLES = frozenset(Role) - {Role.EXPORTER}

# Global (not per-object) permissions of each role, as "app_label.codename".
# Exporters get none: what they may see is granted per organisation with django-guardian.
# Advisors see a case only through an object permission given to their team's group when
# the case is referred to it.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.EXPORTER: [],
    Role.CASE_OFFICER: [
        "accounts.view_organisation",
        "licensing.view_application",
        "licensing.review_application",
        "licensing.view_licence",
        "licensing.manage_licence",
        "screening.view_listversion",
        "screening.search_lists",
        "screening.dispose_flag",
    ],
    Role.SENIOR_OFFICIAL: [
        "accounts.view_organisation",
        "licensing.view_application",
        "licensing.review_application",
        "licensing.decide_application",
        "licensing.view_licence",
        "licensing.manage_licence",
        "screening.view_listversion",
        "screening.search_lists",
        "screening.dispose_flag",
    ],
    Role.ADVISOR: ["licensing.give_advice"],
    Role.APPEALS_REVIEWER: [
        "appeals.view_appeal",
        "appeals.review_appeal",
        "appeals.assign_appeal",
        "accounts.view_organisation",
        "licensing.view_application",
        "licensing.view_licence",
        "screening.view_listversion",
        "screening.search_lists",
    ],
    Role.POLICY_ADMIN: [
        "accounts.view_organisation",
        "accounts.view_user",
        "accounts.view_team",
        "screening.view_listversion",
        "screening.import_listversion",
        "screening.search_lists",
        "screening.view_rule",
        "screening.manage_rules",
        "screening.view_shadow_flags",
        "screening.view_controldataset",
        "screening.import_controldataset",
        "screening.view_partnerdenial",
        "screening.view_consultation",
        "screening.moderate_consultation",
    ],
    Role.AUDITOR: [
        "appeals.view_appeal",
        "accounts.view_organisation",
        "accounts.view_user",
        "accounts.view_team",
        "audit.view_auditevent",
        "licensing.view_application",
        "licensing.view_licence",
        "screening.view_listversion",
        "screening.search_lists",
        "screening.view_rule",
        "screening.view_controldataset",
        "screening.view_partnerdenial",
        "screening.view_consultation",
    ],
}

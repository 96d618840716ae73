from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from exportgov.accounts.roles import Role
from exportgov.notifications.selectors import notification_unread_count


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def site(request) -> dict:
    """Version for the footer, and the navigation the signed-in user's roles allow."""
    user = request.user
    context = {"exportgov_version": settings.EXPORTGOV_VERSION}
    if user.is_authenticated:
        context["nav_items"] = _nav_items(user)
        context["unread_notifications"] = notification_unread_count(user=user)
        context["user_roles"] = [Role(role).label for role in Role if user.has_role(role)]
    return context


def _nav_items(user) -> list[NavItem]:
    items = [NavItem("Dashboard", reverse("core:dashboard"))]
    if user.has_role(Role.EXPORTER):
        items.append(NavItem("Applications", reverse("licensing:application_list")))
        items.append(NavItem("Licences", reverse("licensing:licence_list")))
    if user.has_perm("licensing.review_application"):
        items.append(NavItem("Triage", reverse("licensing:case_triage_queue")))
        items.append(NavItem("Cases", reverse("licensing:case_queue")))
    elif user.has_perm("licensing.view_application"):
        items.append(NavItem("Cases", reverse("licensing:case_queue")))
    if user.has_role(Role.ADVISOR):
        items.append(NavItem("Referred cases", reverse("licensing:advisor_queue")))
    if user.has_perm("appeals.view_appeal"):
        items.append(NavItem("Appeals", reverse("appeals:appeal_queue")))
    elif user.has_role(Role.EXPORTER):
        items.append(NavItem("Appeals", reverse("appeals:appeal_list")))
    if user.has_role(Role.EXPORTER) or user.has_perm("accounts.view_organisation"):
        # exporters see their own organisation; officials all of them
        items.append(NavItem("Organisations", reverse("accounts:organisation_list")))
    if user.has_perm("screening.search_lists"):
        items.append(NavItem("Screen a name", reverse("screening:search")))
    if user.has_perm("screening.view_listversion"):
        items.append(NavItem("Lists", reverse("screening:source_list")))
    if user.has_perm("screening.view_controldataset"):
        items.append(NavItem("Control data", reverse("screening:control_dataset_list")))
    if user.has_perm("screening.view_rule"):
        items.append(NavItem("Rules", reverse("screening:rule_list")))
    if user.has_perm("screening.manage_rules"):
        items.append(NavItem("Sunset reviews", reverse("screening:sunset_review_queue")))
    if user.has_perm("screening.view_consultation"):
        items.append(NavItem("Consultations", reverse("screening:consultation_list")))
    if user.has_perm("licensing.view_application"):
        items.append(NavItem("Operations", reverse("core:operations")))
    if user.has_perm("audit.view_auditevent"):
        items.append(NavItem("Audit log", reverse("audit:event_list")))
    items.append(NavItem("Notifications", reverse("notifications:list")))
    items.append(NavItem("API", reverse("api_docs:docs")))
    return items

"""Version 1 of the REST API, mounted at /api/v1/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token

from exportgov.accounts import api as accounts_api
from exportgov.audit import api as audit_api

app_name = "api"
urlpatterns = [
    path("auth/token/", obtain_auth_token, name="token"),
    path("me/", accounts_api.MeApi.as_view(), name="me"),
    path("organisations/", accounts_api.OrganisationListApi.as_view(), name="organisation_list"),
    path(
        "organisations/<int:pk>/",
        accounts_api.OrganisationDetailApi.as_view(),
        name="organisation_detail",
    ),
    path(
        "organisations/<int:pk>/members/",
        accounts_api.OrganisationMemberListApi.as_view(),
        name="organisation_member_list",
    ),
    path("audit/events/", audit_api.AuditEventListApi.as_view(), name="audit_event_list"),
]

docs_urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_docs:schema"), name="docs"),
]

"""Version 1 of the REST API, mounted at /api/v1/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token

from exportgov.accounts import api as accounts_api
from exportgov.audit import api as audit_api
from licensing import api as licensing_api
from screening import api as screening_api

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
    # licensing: exporters' applications, licences and shipments; officials' queues and cases
    path("applications/", licensing_api.ApplicationListApi.as_view(), name="application_list"),
    path(
        "applications/<int:pk>/",
        licensing_api.ApplicationDetailApi.as_view(),
        name="application_detail",
    ),
    path(
        "applications/<int:pk>/submit/",
        licensing_api.ApplicationSubmitApi.as_view(),
        name="application_submit",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        licensing_api.ApplicationWithdrawApi.as_view(),
        name="application_withdraw",
    ),
    path(
        "applications/<int:pk>/documents/",
        licensing_api.ApplicationDocumentListApi.as_view(),
        name="application_document_list",
    ),
    path("licences/", licensing_api.LicenceListApi.as_view(), name="licence_list"),
    path("licences/<int:pk>/", licensing_api.LicenceDetailApi.as_view(), name="licence_detail"),
    path(
        "licences/<int:pk>/shipments/",
        licensing_api.LicenceShipmentListApi.as_view(),
        name="licence_shipment_list",
    ),
    path("cases/", licensing_api.CaseQueueListApi.as_view(), name="case_queue_list"),
    path("cases/<int:pk>/", licensing_api.CaseDetailApi.as_view(), name="case_detail"),
    # screening: officials screen a name against the lists in force (the path of issue 4's
    # interface, without a trailing slash)
    path("screening/search", screening_api.ScreeningSearchApi.as_view(), name="screening_search"),
]

docs_urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_docs:schema"), name="docs"),
]

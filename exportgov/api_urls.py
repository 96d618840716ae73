"""Version 1 of the REST API, mounted at /api/v1/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token

from appeals import api as appeals_api
from exportgov.accounts import api as accounts_api
from exportgov.audit import api as audit_api
from licensing import api as licensing_api
from screening import api as screening_api


def _actions(prefix: str, entity: str, views: dict[str, type]) -> list:
    """One POST endpoint per action on an object, `<prefix><pk>/<action>/`, named like the
    service it calls: `<entity>_<action>` (e.g. `appeal_lodge`)."""
    return [
        path(f"{prefix}<int:pk>/{action}/", view.as_view(), name=f"{entity}_{action}")
        for action, view in views.items()
    ]


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
    *_actions(
        "applications/",
        "application",
        {
            "submit": licensing_api.ApplicationSubmitApi,
            "withdraw": licensing_api.ApplicationWithdrawApi,
        },
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
    # appeals: appellants file and follow appeals; reviewers work the queue
    path("appeals/", appeals_api.AppealListApi.as_view(), name="appeal_list"),
    path("appeals/queue/", appeals_api.AppealQueueApi.as_view(), name="appeal_queue"),
    path("appeals/<int:pk>/", appeals_api.AppealDetailApi.as_view(), name="appeal_detail"),
    path(
        "appeals/<int:pk>/documents/",
        appeals_api.AppealDocumentListApi.as_view(),
        name="appeal_document_list",
    ),
    *_actions(
        "appeals/",
        "appeal",
        {
            "lodge": appeals_api.AppealLodgeApi,
            "withdraw": appeals_api.AppealWithdrawApi,
            "assign": appeals_api.AppealAssignApi,
            "lateness": appeals_api.AppealLatenessApi,
            "decide": appeals_api.AppealDecideApi,
        },
    ),
    path(
        "appeals/<int:pk>/information-requests/",
        appeals_api.AppealInformationRequestApi.as_view(),
        name="appeal_information_request_list",
    ),
    path(
        "appeals/<int:pk>/information-requests/<int:request_pk>/answer/",
        appeals_api.AppealInformationAnswerApi.as_view(),
        name="appeal_information_answer",
    ),
    path(
        "applications/<int:pk>/appealable/",
        appeals_api.ApplicationAppealableApi.as_view(),
        name="application_appealable",
    ),
    # screening: officials screen a name against the lists in force (the path of issue 4's
    # interface, without a trailing slash)
    path("screening/search", screening_api.ScreeningSearchApi.as_view(), name="screening_search"),
]

docs_urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_docs:schema"), name="docs"),
]

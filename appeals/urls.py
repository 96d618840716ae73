"""The appeals pages: the appellant's, the reviewers' queue and appeal page, and their actions."""

from django.urls import path

from .views import appellant, common, reviewer

app_name = "appeals"
urlpatterns = [
    path("", appellant.appeal_list, name="appeal_list"),
    path("queue/", reviewer.appeal_queue, name="appeal_queue"),
    path("applications/<int:pk>/start/", appellant.appeal_start, name="appeal_start"),
    path("<int:pk>/", appellant.appeal_detail, name="appeal_detail"),
    path("<int:pk>/documents/", appellant.appeal_document_add, name="appeal_document_add"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        common.appeal_document_download,
        name="appeal_document_download",
    ),
    path(
        "<int:pk>/information-requests/<int:request_pk>/answer/",
        appellant.appeal_information_answer,
        name="appeal_information_answer",
    ),
    path("<int:pk>/withdraw/", appellant.appeal_withdraw, name="appeal_withdraw"),
    path("<int:pk>/review/", reviewer.appeal_review, name="appeal_review"),
    path("<int:pk>/lateness/", reviewer.appeal_lateness_decide, name="appeal_lateness_decide"),
    path("<int:pk>/assign/", reviewer.appeal_assign, name="appeal_assign"),
    path(
        "<int:pk>/request-information/",
        reviewer.appeal_request_information,
        name="appeal_request_information",
    ),
    path("<int:pk>/decide/", reviewer.appeal_decide, name="appeal_decide"),
]

"""The officials' pages: queues, the case page and the actions on a case."""

from django.urls import path

from ..views import cases as views

urlpatterns = [
    path("cases/", views.case_queue, name="case_queue"),
    path("cases/triage/", views.case_triage_queue, name="case_triage_queue"),
    path("cases/advice/", views.advisor_queue, name="advisor_queue"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/claim/", views.case_claim, name="case_claim"),
    path("cases/<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:pk>/notes/", views.case_note_add, name="case_note_add"),
    path(
        "cases/<int:pk>/request-information/",
        views.case_request_information,
        name="case_request_information",
    ),
    path("cases/<int:pk>/refer/", views.case_refer, name="case_refer"),
    path(
        "cases/<int:pk>/end-consultation/",
        views.case_end_consultation,
        name="case_end_consultation",
    ),
    path("consultations/<int:pk>/advise/", views.consultation_advise, name="consultation_advise"),
    path("cases/<int:pk>/recommend/", views.case_recommend, name="case_recommend"),
    path("cases/<int:pk>/decide/", views.case_decide, name="case_decide"),
    path("cases/<int:pk>/return/", views.case_return, name="case_return"),
]

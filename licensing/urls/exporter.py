"""The exporter's pages: applications, their steps, status, documents and answers."""

from django.urls import path

from ..views import exporter as views

urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_create, name="application_create"),
    path("applications/<int:pk>/", views.application_status, name="application_status"),
    path(
        "applications/<int:pk>/steps/<slug:step>/",
        views.application_step,
        name="application_step",
    ),
    path(
        "applications/<int:pk>/steps/<slug:step>/autosave/",
        views.application_autosave,
        name="application_autosave",
    ),
    path("applications/<int:pk>/items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/edit/", views.item_update, name="item_update"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("applications/<int:pk>/parties/new/", views.party_create, name="party_create"),
    path("parties/<int:pk>/edit/", views.party_update, name="party_update"),
    path("parties/<int:pk>/delete/", views.party_delete, name="party_delete"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
    path("applications/<int:pk>/copy/", views.application_copy, name="application_copy"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path(
        "information-requests/<int:pk>/answer/",
        views.information_request_answer,
        name="information_request_answer",
    ),
]

"""Public pages of the screening app: no sign-in needed."""

from django.urls import path

from .views import consultations, controls, notices, rulebook

app_name = "controls"
urlpatterns = [
    path("licence-check/", controls.licence_check, name="licence_check"),
    path("licence-check/codes/", controls.code_search, name="code_search"),
    path("rules/", rulebook.rule_book, name="rule_book"),
    path("rules/<slug:code>/", rulebook.rule_book_detail, name="rule_book_detail"),
    path("notices/", notices.notice_list_page, name="notice_list"),
    path("notices/<int:pk>/", notices.notice_detail_page, name="notice_detail"),
    path("notices/feed.atom", notices.notice_feed, name="notice_feed"),
    path("notices/subscribe/", notices.notice_subscribe, name="notice_subscribe"),
    path(
        "consultations/",
        consultations.consultation_public_list_page,
        name="consultation_list",
    ),
    path(
        "consultations/<int:pk>/",
        consultations.consultation_public_detail_page,
        name="consultation_detail",
    ),
]

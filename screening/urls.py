from django.urls import path

from . import views
from .views import consultations as consultation_views
from .views import controls as control_views
from .views import flags as flag_views
from .views import pilots as pilot_views
from .views import reviews as review_views
from .views import rules as rule_views
from .views import runs as run_views

app_name = "screening"
urlpatterns = [
    path("lists/", views.source_list, name="source_list"),
    path("lists/versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("lists/versions/<int:pk>/rescreen/", run_views.version_rescreen, name="version_rescreen"),
    path("search/", views.search, name="search"),
    path("rules/", rule_views.rule_list, name="rule_list"),
    path("rules/new/", rule_views.rule_create, name="rule_create"),
    path("rules/<slug:code>/", rule_views.rule_detail, name="rule_detail"),
    path("rules/<slug:code>/edit/", rule_views.rule_edit, name="rule_edit"),
    path("rules/<slug:code>/pilot/", pilot_views.pilot_review, name="pilot_review"),
    path("reviews/", review_views.sunset_review_queue, name="sunset_review_queue"),
    path("reviews/<int:pk>/", review_views.sunset_review_detail, name="sunset_review_detail"),
    path("consultations/", consultation_views.consultation_list, name="consultation_list"),
    path(
        "consultations/new/",
        consultation_views.consultation_create,
        name="consultation_create",
    ),
    path(
        "consultations/<int:pk>/",
        consultation_views.consultation_detail,
        name="consultation_detail",
    ),
    path("controls/", control_views.control_dataset_list, name="control_dataset_list"),
    path(
        "controls/<int:pk>/review/",
        control_views.control_dataset_review,
        name="control_dataset_review",
    ),
    # Triage of flags (the case pages are licensing's; these take the case's pk).
    path(
        "cases/<int:pk>/flags/<int:flag_pk>/dispose/",
        flag_views.flag_dispose_view,
        name="flag_dispose",
    ),
    path("cases/<int:pk>/screen-again/", flag_views.screening_retry_view, name="screening_retry"),
    path("pilot-flags/", flag_views.pilot_flags, name="pilot_flags"),
    path(
        "pilot-flags/<int:pk>/dispose/",
        flag_views.pilot_flag_dispose,
        name="pilot_flag_dispose",
    ),
]

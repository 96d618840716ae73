"""Public pages: no sign-in needed."""

from django.urls import path

from . import views

app_name = "transparency"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures.csv", views.figures_csv, name="figures_csv"),
    path("figures.json", views.figures_json, name="figures_json"),
]

"""Public pages of the screening app: no sign-in needed."""

from django.urls import path

from .views import controls

app_name = "controls"
urlpatterns = [
    path("licence-check/", controls.licence_check, name="licence_check"),
    path("licence-check/codes/", controls.code_search, name="code_search"),
]

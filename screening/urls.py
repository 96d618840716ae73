from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("lists/", views.source_list, name="source_list"),
    path("lists/versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("search/", views.search, name="search"),
]

from django.urls import path

from ..views import licences as views

urlpatterns = [
    path("licences/", views.licence_list, name="licence_list"),
    path("licences/<int:pk>/", views.licence_detail, name="licence_detail"),
    path("licences/<int:pk>/pdf/", views.licence_pdf, name="licence_pdf"),
    path(
        "licences/<int:pk>/shipments/",
        views.licence_shipment_record,
        name="licence_shipment_record",
    ),
    path("licences/<int:pk>/amend/", views.licence_amend, name="licence_amend"),
    path("licences/<int:pk>/suspend/", views.licence_suspend, name="licence_suspend"),
    path("licences/<int:pk>/reinstate/", views.licence_reinstate, name="licence_reinstate"),
    path("licences/<int:pk>/revoke/", views.licence_revoke, name="licence_revoke"),
]

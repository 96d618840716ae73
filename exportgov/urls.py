from django.contrib import admin
from django.urls import include, path

from .api_urls import docs_urlpatterns

urlpatterns = [
    path("", include("exportgov.core.urls")),
    path("", include("exportgov.accounts.urls")),
    path("audit/", include("exportgov.audit.urls")),
    path("notifications/", include("exportgov.notifications.urls")),
    path("", include("licensing.urls")),
    path("screening/", include("screening.urls")),
    path("appeals/", include("appeals.urls")),
    path("", include("screening.urls_public")),
    path("transparency/", include("exportgov.transparency.urls")),
    path("api/v1/", include("exportgov.api_urls")),
    path("api/", include((docs_urlpatterns, "api_docs"))),
    path("admin/", admin.site.urls),
]

handler403 = "exportgov.core.errors.permission_denied"
handler404 = "exportgov.core.errors.page_not_found"
handler500 = "exportgov.core.errors.server_error"

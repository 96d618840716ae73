"""The licensing pages: the exporter's, the officials' case work, and licences."""

from . import cases, exporter, licences

app_name = "licensing"
urlpatterns = exporter.urlpatterns + cases.urlpatterns + licences.urlpatterns

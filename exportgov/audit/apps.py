from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "exportgov.audit"
    label = "audit"

    def ready(self):
        from . import signals  # noqa: F401  (records sign-ins and sign-outs)

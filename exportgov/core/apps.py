from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "exportgov.core"
    label = "core"

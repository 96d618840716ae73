from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "exportgov.transparency"
    label = "transparency"
    verbose_name = "Transparency"

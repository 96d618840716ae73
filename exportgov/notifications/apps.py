from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "exportgov.notifications"
    label = "notifications"

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ancrage.notifications"
    label = "notifications"
    verbose_name = "Notifications"

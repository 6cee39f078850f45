from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "ancrage.support"
    label = "support"
    verbose_name = "Accompagnement"

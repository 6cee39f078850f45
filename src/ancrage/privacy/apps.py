from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "ancrage.privacy"
    verbose_name = "Protection des données"

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ancrage.api"
    label = "api"
    verbose_name = "API"

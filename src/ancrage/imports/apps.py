from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "ancrage.imports"
    verbose_name = "Reprise de données"

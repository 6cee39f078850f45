from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "ancrage.programs"
    verbose_name = "Dispositifs"

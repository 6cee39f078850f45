from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "ancrage.housing"
    verbose_name = "Logement"

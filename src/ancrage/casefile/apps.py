from django.apps import AppConfig


class CasefileConfig(AppConfig):
    name = "ancrage.casefile"
    verbose_name = "Dossier de la personne"

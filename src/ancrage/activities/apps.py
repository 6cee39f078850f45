from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "ancrage.activities"
    verbose_name = "Actions collectives"

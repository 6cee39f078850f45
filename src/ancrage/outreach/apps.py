from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "ancrage.outreach"
    verbose_name = "Repérage"

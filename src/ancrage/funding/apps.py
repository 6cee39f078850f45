from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "ancrage.funding"
    verbose_name = "Financements"

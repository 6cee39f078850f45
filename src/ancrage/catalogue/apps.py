from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "ancrage.catalogue"
    verbose_name = "Catalogue de services"

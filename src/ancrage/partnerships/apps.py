from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "ancrage.partnerships"
    verbose_name = "Partenariats"

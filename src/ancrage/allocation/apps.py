from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "ancrage.allocation"
    verbose_name = "Allocation des logements"

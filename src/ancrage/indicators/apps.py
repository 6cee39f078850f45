from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "ancrage.indicators"
    label = "indicators"
    verbose_name = "Indicateurs"

    def ready(self):
        from ancrage.indicators import signals  # noqa: F401

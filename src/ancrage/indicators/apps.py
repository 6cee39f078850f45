from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "ancrage.indicators"
    label = "indicators"
    verbose_name = "Indicateurs"

    def ready(self):
        from ancrage.core.home import register
        from ancrage.indicators import home

        register(name="funder", template="indicators/_home.html", order=40, build=home.build)
        from ancrage.indicators import signals  # noqa: F401

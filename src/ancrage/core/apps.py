from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ancrage.core"
    label = "core"
    verbose_name = "Noyau"

    def ready(self) -> None:
        from ancrage.core import labels

        labels.install()

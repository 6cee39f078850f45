from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "ancrage.support"
    label = "support"
    verbose_name = "Accompagnement"

    def ready(self):
        from ancrage.core.home import register
        from ancrage.support import home

        register(name="support", template="support/_home.html", order=20, build=home.build)

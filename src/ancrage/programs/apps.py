from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "ancrage.programs"
    verbose_name = "Dispositifs"

    def ready(self):
        from ancrage.core.home import register
        from ancrage.programs import home

        register(name="partner", template="programs/_home.html", order=50, build=home.build)

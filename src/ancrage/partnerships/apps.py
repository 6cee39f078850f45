from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "ancrage.partnerships"
    verbose_name = "Partenariats"

    def ready(self):
        from ancrage.core.home import register
        from ancrage.partnerships import home

        register(name="decisions", template="partnerships/_home.html", order=15, build=home.build)

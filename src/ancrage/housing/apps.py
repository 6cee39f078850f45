from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "ancrage.housing"
    verbose_name = "Logement"

    def ready(self):
        from ancrage.core.search import register as register_search
        from ancrage.housing import search

        register_search(name="housing", order=20, search=search.search)
        from ancrage.core.home import register
        from ancrage.housing import home

        register(name="housing", template="housing/_home.html", order=30, build=home.build)

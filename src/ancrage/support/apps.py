from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "ancrage.support"
    label = "support"
    verbose_name = "Accompagnement"

    def ready(self):
        from ancrage.core.search import register as register_search
        from ancrage.support import search

        register_search(name="partners", order=30, search=search.search)
        from ancrage.core.home import register
        from ancrage.support import home

        register(name="support", template="support/_home.html", order=20, build=home.build)

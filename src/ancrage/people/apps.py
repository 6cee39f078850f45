from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ancrage.people"
    label = "people"
    verbose_name = "Personnes accompagnées"

    def ready(self):
        from ancrage.core.search import register as register_search
        from ancrage.people import search

        register_search(name="people", order=10, search=search.search)

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ancrage.people"
    label = "people"
    verbose_name = "Personnes accompagnées"

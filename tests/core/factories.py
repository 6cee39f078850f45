import factory

from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("kind", "code")

    kind = TerritoryKind.COMMUNE
    code = factory.Sequence(lambda n: f"{99000 + n}")
    name = factory.Sequence(lambda n: f"Commune {n}")

import datetime

import factory

from ancrage.people.enums import HousingSituation, Situation
from ancrage.people.models import Person, Resource
from tests.accounts.factories import OrganizationFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organization = factory.SubFactory(OrganizationFactory)
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    birth_date = factory.Faker(
        "date_between", start_date=datetime.date(1995, 1, 1), end_date=datetime.date(2008, 12, 31)
    )
    phone = factory.Sequence(lambda n: f"+336{10000000 + n:08d}")
    situation = Situation.APPRENTICE
    housing_situation = HousingSituation.HOSTED_BY_THIRD_PARTY


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    person = factory.SubFactory(PersonFactory)
    kind = "apprentice_wages"
    monthly_amount = 850

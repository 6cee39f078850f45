from decimal import Decimal

import factory

from ancrage.housing.enums import ResidenceKind, Typology
from ancrage.housing.models import Bed, CommonSpace, Residence, Unit
from tests.accounts.factories import OrganizationFactory


class ResidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Residence

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Résidence Alternance {n}")
    kind = ResidenceKind.APPRENTICES


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    residence = factory.SubFactory(ResidenceFactory)
    organization = factory.SelfAttribute("residence.organization")
    reference = factory.Sequence(lambda n: f"T1-{n:02d}")
    typology = Typology.T1
    monthly_rent = Decimal("420.00")
    monthly_charges = Decimal("40.00")
    weekly_price = Decimal("110.00")
    deposit = Decimal("420.00")


class BedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bed

    unit = factory.SubFactory(UnitFactory)
    label = ""


class CommonSpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommonSpace

    residence = factory.SubFactory(ResidenceFactory)
    organization = factory.SelfAttribute("residence.organization")
    kind = "common_room"
    name = factory.Sequence(lambda n: f"Salle commune {n}")

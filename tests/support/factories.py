import factory
from django.utils import timezone

from ancrage.support.enums import Channel, Outcome, Subject
from ancrage.support.models import Contact, Desk
from tests.accounts.factories import OrganizationFactory


class DeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Desk

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Permanence {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organization = factory.SubFactory(OrganizationFactory)
    channel = Channel.PHONE
    occurred_at = factory.LazyFunction(timezone.now)
    subjects = factory.LazyFunction(lambda: [Subject.HOUSING])
    outcome = Outcome.INFORMATION

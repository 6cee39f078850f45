import datetime

import factory
from django.utils import timezone

from ancrage.support.enums import Channel, Outcome, Subject
from ancrage.support.models import Contact, Desk, Enrollment, Referral, Step
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.people.factories import PersonFactory


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


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    organization = factory.SubFactory(OrganizationFactory)
    person = factory.SubFactory(PersonFactory, organization=factory.SelfAttribute("..organization"))
    referent = factory.SubFactory(UserFactory)
    requested_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    enrollment = factory.SubFactory(EnrollmentFactory)
    organization = factory.SelfAttribute("enrollment.organization")
    kind = "housing_allowance"


class ReferralFactory(factory.django.DjangoModelFactory):
    """Sent by ``sender`` about one of its people, to ``receiver``."""

    class Meta:
        model = Referral

    sender = factory.SubFactory(OrganizationFactory)
    receiver = factory.SubFactory(OrganizationFactory)
    person = factory.SubFactory(PersonFactory, organization=factory.SelfAttribute("..sender"))
    purpose = "Recherche d'un logement temporaire"
    shared_data = factory.LazyAttribute(
        lambda o: {"last_name": o.person.last_name, "first_name": o.person.first_name}
    )
    consent_on = factory.LazyFunction(timezone.localdate)
    sent_by = factory.SubFactory(UserFactory)

import datetime

import factory
from django.utils import timezone

from ancrage.activities.enums import ActivityKind
from ancrage.activities.models import Activity, Attendance, Registration, Session
from tests.accounts.factories import OrganizationFactory
from tests.people.factories import PersonFactory


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    organization = factory.SubFactory(OrganizationFactory)
    kind = ActivityKind.HOUSING_WORKSHOP
    title = factory.Sequence(lambda n: f"Atelier recherche logement {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    """A session held yesterday at the main office."""

    class Meta:
        model = Session

    activity = factory.SubFactory(ActivityFactory)
    organization = factory.SelfAttribute("activity.organization")
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    place = "Salle de réunion du siège"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(
        PersonFactory, organization=factory.SelfAttribute("..session.organization")
    )


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(
        SessionFactory,
        starts_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3)),
    )
    person = factory.SubFactory(
        PersonFactory, organization=factory.SelfAttribute("..session.organization")
    )

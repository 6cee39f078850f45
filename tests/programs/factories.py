import datetime

import factory

from ancrage.programs.enums import ParticipantRole, ProgramKind
from ancrage.programs.models import Program, ProgramParticipant
from tests.accounts.factories import OrganizationFactory


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Action CLLAJ {n}")
    kind = ProgramKind.YOUTH_HOUSING_DESK
    starts_on = datetime.date(2025, 1, 1)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramParticipant

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = ParticipantRole.OPERATOR

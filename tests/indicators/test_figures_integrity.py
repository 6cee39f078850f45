"""The figures' table keeps no foreign-key constraint in the database (migration
``indicators.0009``): what the constraints did, Django's deletion does."""

import datetime

import pytest
from django.db.models import ProtectedError

from ancrage.indicators.enums import Grain, Scope
from ancrage.indicators.models import Aggregate
from tests.accounts.factories import OrganizationFactory
from tests.core.factories import TerritoryFactory
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2026, 11, 1)


def figure(**where) -> Aggregate:
    return Aggregate.objects.create(
        indicator="personnes_accompagnees",
        grain=Grain.MONTH,
        period=MONTH,
        category="",
        value=3,
        **where,
    )


def test_deleting_an_organization_or_a_program_deletes_its_figures_only():
    kept_organization, gone_organization = OrganizationFactory(), OrganizationFactory()
    kept_program, gone_program = ProgramFactory(), ProgramFactory()
    kept = [
        figure(scope=Scope.ORGANIZATION, organization=kept_organization),
        figure(scope=Scope.PROGRAM, program=kept_program),
        figure(scope=Scope.NATIONAL),
    ]
    figure(scope=Scope.ORGANIZATION, organization=gone_organization)
    figure(scope=Scope.ORGANIZATION_PROGRAM, organization=kept_organization, program=gone_program)
    figure(scope=Scope.PROGRAM, program=gone_program)

    gone_organization.delete()
    gone_program.delete()

    assert sorted(Aggregate.objects.values_list("pk", flat=True)) == sorted(f.pk for f in kept)


def test_a_territory_with_figures_cannot_be_deleted():
    territory = TerritoryFactory()
    figure(scope=Scope.TERRITORY, territory=territory)

    with pytest.raises(ProtectedError):
        territory.delete()

    assert Aggregate.objects.filter(territory=territory).count() == 1

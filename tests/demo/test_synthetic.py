"""The synthetic generator writes consistent rows, and the rollups agree with SQL over raw tables."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from ancrage.core.territories import load_territories
from ancrage.demo.synthetic import generate
from ancrage.indicators.enums import Grain, Scope
from ancrage.indicators.models import Aggregate
from ancrage.indicators.rollup import refresh_year
from ancrage.support.models import Contact, Enrollment

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset():
    load_territories(only_departements=["62"])
    return generate("tiny", seed=3, out=lambda *a: None)


def test_the_tiny_preset_writes_a_consistent_dataset(dataset):
    assert dataset["contacts"] == Contact.objects.count() >= 16_000
    assert Enrollment.objects.filter(ended_on__isnull=False, exit__isnull=True).count() == 0
    # Ids continue after the generator: a row created normally does not collide.
    from tests.accounts.factories import OrganizationFactory

    assert OrganizationFactory().pk > dataset["structures"]


def test_rollups_match_sql_over_the_raw_tables(dataset):
    year = timezone.localdate().year
    refresh_year(year)
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(DISTINCT CASE WHEN p.identity_key = '' THEN 'p' || p.id
                                       ELSE p.identity_key END)
            FROM support_enrollment e JOIN people_person p ON p.id = e.person_id
            WHERE e.started_on IS NOT NULL AND e.started_on < %s
              AND (e.ended_on IS NULL OR e.ended_on >= %s)
            """,
            [end, start],
        )
        (people,) = cursor.fetchone()
    national = Aggregate.objects.get(
        indicator="personnes_accompagnees",
        scope=Scope.NATIONAL,
        grain=Grain.YEAR,
        period=start,
        category="",
    )
    assert people > 500
    assert national.value == people


def test_the_command_generates_and_refreshes(capsys):
    load_territories(only_departements=["62"])
    call_command("generate", "--preset", "tiny", "--seed", "5")
    out = capsys.readouterr().out
    assert "contacts : 16" in out and "Indicateurs calculés" in out


def test_generating_the_same_seed_twice_says_what_to_do(capsys):
    from django.core.management.base import CommandError

    load_territories(only_departements=["62"])
    call_command("generate", "--preset", "tiny", "--seed", "6", "--no-refresh")
    out = capsys.readouterr().out
    assert "secondes" not in out and "Écrit en" in out
    with pytest.raises(
        CommandError, match="Un jeu de graine 6 existe déjà dans cette base"
    ) as raised:
        call_command("generate", "--preset", "tiny", "--seed", "6", "--no-refresh")
    assert "--seed 7" in str(raised.value)

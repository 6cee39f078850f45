"""Occupancy over any period (the school year by default for apprentices), counting only the weeks
each unit is in service — on the residence page, its CSV, the API and the monthly indicators."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ancrage.housing import services
from ancrage.housing.models import Unit
from ancrage.housing.queries import occupancy_between, occupancy_grid
from ancrage.indicators.definitions import _count_bed_weeks
from tests.api.clients import token_client
from tests.housing.factories import BedFactory, ResidenceFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

SEPT = datetime.date(2026, 9, 7)  # the first Monday of the school year 2026-2027
NOV = datetime.date(2026, 11, 2)  # a Monday: unit B enters service
YEAR = (datetime.date(2026, 9, 1), datetime.date(2027, 9, 1))


@pytest.fixture
def carnot(world):
    """Two studios; B enters service on 2 November. A booked 10 weeks from 7 September, B 4 weeks
    from 2 November.

    School year 1/9/2026 → 1/9/2027: 52 Mondays (7/9/2026 … 30/8/2027); A offers 52 bed-weeks,
    B 44 (2/11/2026 … 30/8/2027): 96; occupied 10 + 4 = 14; rate 14/96 = 14.58 %."""
    residence = ResidenceFactory(
        organization=world.org, name="Résidence Carnot", kind="apprentices"
    )
    a = BedFactory(unit__residence=residence, unit__reference="A")
    b = BedFactory(unit__residence=residence, unit__reference="B", unit__in_service_on=NOV)
    for bed, first, weeks in ((a, SEPT, 10), (b, NOV, 4)):
        services.book_weeks(
            person=PersonFactory(organization=world.org),
            bed=bed,
            weeks=[first + datetime.timedelta(weeks=i) for i in range(weeks)],
            actor=world.owner,
        )
    return residence


def test_the_school_year_counts_only_the_weeks_each_unit_is_in_service(carnot):
    occupancy = occupancy_between(carnot, *YEAR)
    assert occupancy.weeks == 52
    assert [(u.unit.reference, u.bed_weeks, u.occupied) for u in occupancy.units] == [
        ("A", 52, 10),
        ("B", 44, 4),
    ]
    assert (occupancy.bed_weeks, occupancy.occupied, occupancy.empty) == (96, 14, 82)
    assert round(100 * occupancy.rate, 2) == 14.58


def test_the_grid_and_the_monthly_indicators_use_the_same_capacity(world, carnot):
    grid = occupancy_grid(carnot, datetime.date(2026, 10, 5), 8)  # 5/10 → 23/11: B from 2/11
    assert grid.bed_weeks == 8 + 4
    row_b = next(cells for bed, cells in grid.rows if bed.unit.reference == "B")
    assert [cell.in_service for cell in row_b] == [False] * 4 + [True] * 4
    # October 2026: A's 4 Mondays, none for B; November: 5 Mondays each.
    assert _count_bed_weeks(datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)) == {
        world.org.pk: (4, 4)
    }
    assert _count_bed_weeks(datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)) == {
        world.org.pk: (2 + 4, 10)  # A until 9/11, B from 2/11
    }


def test_the_residence_page_shows_the_school_year_and_exports_it(
    client, world, carnot, time_machine
):
    time_machine.move_to("2026-11-30 10:00 +01:00")
    client.force_login(world.owner)
    page = client.get(reverse("housing:residence_detail", args=[carnot.pk]))
    assert "Occupation du 01/09/2026 au 01/09/2027 exclu" in page.text
    assert "14,6 %</span> des semaines-lits occupées : 14 sur 96 offertes (82 vides)" in page.text
    export = client.get(
        reverse("housing:occupancy_export", args=[carnot.pk]),
        {"du": "2026-09-01", "au": "2027-09-01"},
    )
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[1:] == ["A;1;52;52;10;42;19,2", "B;1;44;44;4;40;9,1", "Total;;52;96;14;82;14,6"]


def test_a_period_that_ends_before_it_starts_is_refused(client, world, carnot):
    client.force_login(world.owner)
    page = client.get(
        reverse("housing:residence_detail", args=[carnot.pk]),
        {"du": "2027-01-01", "au": "2026-01-01"},
    )
    assert page.status_code == 400
    assert "La fin doit suivre le début." in page.text


def test_service_dates_set_on_the_page_and_checked_against_bookings(client, world, carnot):
    unit_b = Unit.objects.get(residence=carnot, reference="B")
    client.force_login(world.owner)
    url = reverse("housing:unit_service", args=[carnot.pk, unit_b.pk])
    prefix = f"service-{unit_b.pk}"
    # B is booked until 30/11: it cannot leave service on 16/11; nothing is written.
    response = client.post(
        url, {f"{prefix}-in_service_on": "2026-11-02", f"{prefix}-out_of_service_on": "2026-11-16"}
    )
    assert response.status_code == 400
    assert "Des réservations occupent encore ce logement après cette date" in response.text
    unit_b.refresh_from_db()
    assert unit_b.out_of_service_on is None
    response = client.post(
        url, {f"{prefix}-in_service_on": "2026-11-02", f"{prefix}-out_of_service_on": "2027-07-05"}
    )
    assert response.status_code == 302
    unit_b.refresh_from_db()
    assert unit_b.out_of_service_on == datetime.date(2027, 7, 5)
    assert occupancy_between(carnot, *YEAR).units[1].bed_weeks == 35  # 2/11/2026 … 28/6/2027


def test_a_booking_before_the_unit_enters_service_is_refused(world, carnot):
    bed_b = Unit.objects.get(residence=carnot, reference="B").beds.get()
    with pytest.raises(ValidationError, match="n'est en service qu'à partir du 02/11/2026"):
        services.book_weeks(
            person=PersonFactory(organization=world.org),
            bed=bed_b,
            weeks=[datetime.date(2026, 10, 26)],
            actor=world.owner,
        )


@pytest.mark.parametrize(("persona", "expected"), [("colleague", 403), ("outsider", 404)])
def test_the_api_sets_service_dates_for_the_team_only(world, carnot, persona, expected):
    unit_b = Unit.objects.get(residence=carnot, reference="B")
    body = {"in_service_on": "2026-11-02", "out_of_service_on": "2027-07-05"}
    assert (
        token_client(getattr(world, persona))
        .post_json(f"/api/v1/units/{unit_b.pk}/service/", body)
        .status_code
        == expected
    )
    response = token_client(world.owner).post_json(f"/api/v1/units/{unit_b.pk}/service/", body)
    assert response.status_code == 200
    assert response.json()["out_of_service_on"] == "2027-07-05"

"""From the occupancy grid, a free cell books that bed from that week; the booking form says
which beds are free on the first day."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.housing.services import book_weeks
from tests.housing.factories import BedFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_free_cell_leads_to_booking_that_bed_that_week(world):
    bed = BedFactory(unit__residence__organization=world.org, unit__reference="T1-07")
    taken = BedFactory(unit__residence=bed.unit.residence, unit__reference="T1-08")
    book_weeks(
        person=PersonFactory(organization=world.org),
        bed=taken,
        weeks=[datetime.date(2026, 11, 30)],
        actor=world.owner,
    )
    client = Client()
    client.force_login(world.owner)
    residence = bed.unit.residence
    grid = client.get(
        reverse("housing:occupancy", args=[residence.pk]), {"semaine": "2026-W49"}
    ).text
    link = (
        f"{reverse('housing:booking_create', args=[residence.pk])}?lit={bed.pk}&amp;du=2026-11-30"
    )
    assert f'href="{link}">libre' in grid
    form = client.get(
        reverse("housing:booking_create", args=[residence.pk]),
        {"lit": bed.pk, "du": "2026-11-30"},
    ).text
    assert f'<option value="{bed.pk}" selected>T1-07 — T1 — libre le 30/11/2026</option>' in form
    assert "T1-08 — T1 — occupé le 30/11/2026" in form
    assert 'value="2026-11-30"' in form
    # A read-only colleague sees the grid without the booking links.
    client.force_login(world.colleague)
    grid = client.get(
        reverse("housing:occupancy", args=[residence.pk]), {"semaine": "2026-W49"}
    ).text
    assert "?lit=" not in grid and ">libre</td>" in grid


def test_a_mistyped_day_opens_the_form_as_usual(world):
    bed = BedFactory(unit__residence__organization=world.org)
    client = Client()
    client.force_login(world.owner)
    response = client.get(
        reverse("housing:booking_create", args=[bed.unit.residence.pk]), {"du": "2026-02-31"}
    )
    assert response.status_code == 200

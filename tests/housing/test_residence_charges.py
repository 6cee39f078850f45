"""A month's charges for a whole residence in one go: every active booking charged, or none when
one cannot be (the message names the occupant and the unit)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.housing import services
from ancrage.housing.models import Charge
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.api.clients import token_client
from tests.clients import client_of
from tests.housing.factories import BedFactory, ResidenceFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def residence(world):
    """Two occupants by the month, one cancelled booking, and a booking in another residence."""
    home = ResidenceFactory(organization=world.org)
    for name in ("Roux", "Petit", "Annulé"):
        booking = services.book_months(
            person=PersonFactory(organization=world.org, last_name=name),
            bed=BedFactory(unit__residence=home),
            first_month=D(2026, 9, 1),
            months=6,
            actor=world.owner,
        )
        if name == "Annulé":
            services.cancel_booking(booking=booking, actor=world.owner)
    services.book_months(
        person=PersonFactory(organization=world.org),
        bed=BedFactory(unit__residence__organization=world.org),
        first_month=D(2026, 9, 1),
        months=6,
        actor=world.owner,
    )
    return home


def test_the_months_charges_of_every_occupant_in_one_click(world, residence):
    client = client_of(world.owner)
    page = client.get(reverse("housing:residence_detail", args=[residence.pk]))
    assert "Émettre les échéances" in page.text
    url = reverse("housing:residence_charges", args=[residence.pk])
    done = client.post(url, {"through": "2026-10-01"}, follow=True)
    assert "4 échéance(s) émise(s) pour 2 occupant·e(s), 1 840,00" in done.text.replace(
        "\u202f", " "
    ).replace("\xa0", " ")
    charges = Charge.objects.filter(booking__bed__unit__residence=residence)
    assert sorted((c.person.last_name, c.month) for c in charges) == [
        ("Petit", D(2026, 9, 1)),
        ("Petit", D(2026, 10, 1)),
        ("Roux", D(2026, 9, 1)),
        ("Roux", D(2026, 10, 1)),
    ]
    # Again for November: only the new month; the other residence is untouched.
    november = client.post(url, {"through": "2026-11-15"}, follow=True)
    assert "2 échéance(s) émise(s) pour 2 occupant·e(s)" in november.text
    assert Charge.objects.filter(booking__bed__unit__residence=residence).count() == 6
    assert Charge.objects.count() == 6


def test_one_booking_that_cannot_be_charged_stops_the_whole_month(world, residence):
    weekly_unit = BedFactory(unit__residence=residence, unit__weekly_price=None)
    services.book_months(
        person=PersonFactory(organization=world.org, last_name="Semaine"),
        bed=weekly_unit,
        first_month=D(2026, 9, 1),
        months=2,
        actor=world.owner,
    )
    booking = services.book_weeks(
        person=PersonFactory(organization=world.org, last_name="Vidal"),
        bed=BedFactory(unit__residence=residence),
        weeks=[D(2026, 9, 7)],
        actor=world.owner,
    )
    booking.bed.unit.weekly_price = None
    booking.bed.unit.save()
    response = client_of(world.owner).post(
        reverse("housing:residence_charges", args=[residence.pk]),
        {"through": "2026-10-01"},
        follow=True,
    )
    assert "Aucune échéance émise" in response.text
    assert "VIDAL" in response.text and "pas de prix à la semaine" in response.text
    assert not Charge.objects.exists()


def test_a_missing_month_is_named_and_writes_nothing(world, residence):
    response = client_of(world.owner).post(
        reverse("housing:residence_charges", args=[residence.pk]),
        {"through": "demain"},
        follow=True,
    )
    assert "Indiquez jusqu&#x27;à quel mois émettre les échéances." in response.text
    assert not Charge.objects.exists()


def test_only_the_managing_team_issues_charges(world, residence):
    url = reverse("housing:residence_charges", args=[residence.pk])
    assert client_of(world.colleague).post(url, {"through": "2026-10-01"}).status_code == 403
    assert client_of(world.outsider).post(url, {"through": "2026-10-01"}).status_code == 404
    assert Client().post(url, {"through": "2026-10-01"}).status_code == 302
    assert (
        "Émettre les échéances"
        not in client_of(world.colleague)
        .get(reverse("housing:residence_detail", args=[residence.pk]))
        .text
    )
    assert not Charge.objects.exists()


def test_the_api_issues_the_residences_month(world, residence, settings):
    settings.DEMO = True
    manager = UserFactory()
    MembershipFactory(user=manager, organization=world.org, role="counsellor")
    api = token_client(manager)
    url = f"/api/v1/residences/{residence.pk}/generate-charges/"
    response = api.post_json(url, {"through": "2026-09-01"})
    assert response.status_code == 200, response.content
    assert sorted(c["amount"] for c in response.json()["created"]) == ["460.00", "460.00"]
    assert api.post_json(url, {"through": "hier"}).status_code == 400
    assert Charge.objects.count() == 2
    assert sum(c.amount for c in Charge.objects.all()) == Decimal("920.00")

"""The organization's bookings, leases, housing applications and arrears as lists: filters, sort,
pages, and exports holding exactly the rows on screen (audited reads)."""

from __future__ import annotations

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ancrage.audit.models import AuditEvent
from ancrage.housing import services
from ancrage.housing.models import Booking
from tests.clients import client_of
from tests.housing.factories import BedFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

D = datetime.date
NOW = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def housing(world):
    """Two residences of the organization, three bookings, a lease, two applications; and a
    booking of another organization that must never show."""
    north = BedFactory(unit__residence__organization=world.org, unit__residence__name="Nord")
    south = BedFactory(unit__residence__organization=world.org, unit__residence__name="Sud")
    elsewhere = BedFactory(unit__residence__organization=world.other_org)
    ines = PersonFactory(organization=world.org, last_name="Roux", first_name="Inès")
    lucas = PersonFactory(organization=world.org, last_name="Bernard", first_name="Lucas")
    zoe = PersonFactory(organization=world.org, last_name="Petit", first_name="Zoé")
    nina = PersonFactory(organization=world.other_org, last_name="Ailleurs", first_name="Nina")
    book = services.book_months
    first = book(person=ines, bed=north, first_month=D(2026, 9, 1), months=3, actor=world.owner)
    book(person=lucas, bed=south, first_month=D(2027, 1, 1), months=2, actor=world.owner)
    cancelled = book(person=zoe, bed=north, first_month=D(2027, 3, 1), months=1, actor=world.owner)
    services.cancel_booking(booking=cancelled, actor=world.owner)
    book(person=nina, bed=elsewhere, first_month=D(2026, 9, 1), months=1, actor=world.outsider)
    services.prepare_lease(
        person=ines,
        unit=north.unit,
        kind="mobility",
        starts_on=D(2026, 9, 1),
        ends_on=D(2026, 12, 1),
        bookings=[first],
        actor=world.owner,
    )
    services.submit_application(
        residence=south.unit.residence, person=zoe, wished_from=D(2027, 1, 1), actor=world.owner
    )
    services.submit_application(
        residence=north.unit.residence, person=lucas, wished_from=D(2027, 2, 1), actor=world.owner
    )
    return {"north": north, "south": south}


def first_cells(html: str) -> list[str]:
    """The text of the first link of each row of the page's table."""
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    cells = []
    for row in body.split("<tr>")[1:]:
        link = row.split("<a ", 1)[1]
        cells.append(link.split(">", 1)[1].split("</a>", 1)[0])
    return cells


def test_bookings_filtered_by_residence_state_and_period_export_the_rows_on_screen(world, housing):
    client = client_of(world.owner)
    url = reverse("housing:booking_list")
    assert first_cells(client.get(url).text) == ["Zoé PETIT", "Lucas BERNARD", "Inès ROUX"]
    filters = {
        "residence": housing["north"].unit.residence.pk,
        "status": "active",
        "start": "2026-10-01",
        "tri": "personne",
    }
    screen = first_cells(client.get(url, filters).text)
    assert screen == ["Inès ROUX"]
    # A period that meets no booking of the north residence.
    assert "Rien pour ces filtres" in client.get(url, {**filters, "start": "2027-06-01"}).text
    response = client.get(url, {**filters, "export": "xlsx"})
    assert 'filename="reservations-2026-11-25.xlsx"' in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Occupant·e", "Résidence", "Logement", "Du")
    assert [r[0] for r in rows[1:]] == screen
    assert rows[1][3].date() == D(2026, 9, 1)
    assert AuditEvent.objects.filter(object_repr="export xlsx de 1").exists()


def test_bookings_found_by_a_name_typed_without_accents(world, housing):
    page = client_of(world.owner).get(reverse("housing:booking_list"), {"q": "zoe"})
    assert first_cells(page.text) == ["Zoé PETIT"]


def test_a_period_ending_before_it_starts_is_refused_with_the_field_named(world, housing):
    page = client_of(world.owner).get(
        reverse("housing:booking_list"), {"start": "2027-01-01", "end": "2026-01-01"}
    )
    assert page.status_code == 400
    assert "La fin de la période précède son début." in page.text
    assert "<tbody>" not in page.text
    assert Booking.objects.count() == 4  # a list never writes


def test_leases_and_applications_lists_with_their_exports(world, housing):
    client = client_of(world.owner)
    leases = client.get(reverse("housing:lease_list"))
    assert first_cells(leases.text) == ["Inès ROUX"]
    assert "Bail mobilité" in leases.text
    applications = client.get(reverse("housing:application_list"), {"tri": "deposee"})
    assert first_cells(applications.text)[:1] == ["Zoé PETIT"]
    response = client.get(
        reverse("housing:application_list"),
        {"residence": housing["north"].unit.residence.pk, "export": "csv"},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Personne", "Résidence", "Déposée le"]
    assert [r[0] for r in rows[1:]] == ["Lucas BERNARD"]


@pytest.mark.parametrize("name", ["booking_list", "lease_list", "application_list", "arrears"])
def test_each_member_sees_only_their_organization_and_anonymous_logs_in(world, housing, name):
    url = reverse(f"housing:{name}")
    for persona in ("owner", "colleague"):
        page = client_of(getattr(world, persona)).get(url, {"export": "csv"})
        assert page.status_code == 200 and "Ailleurs" not in page.content.decode("utf-8-sig")
    outsider = client_of(world.outsider).get(url, {"export": "csv"})
    assert outsider.status_code == 200
    assert "Roux" not in outsider.content.decode("utf-8-sig").title()
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/compte/login/" in anonymous["Location"]


@pytest.mark.parametrize("name", ["booking_list", "lease_list", "application_list"])
def test_the_lists_keep_a_constant_number_of_queries(world, housing, name, count_queries):
    client = client_of(world.owner)
    url = reverse(f"housing:{name}")
    client.get(url)
    few = count_queries(lambda: client.get(url))
    exported = count_queries(lambda: client.get(url, {"export": "xlsx"}))
    for index in range(6):
        person = PersonFactory(organization=world.org, last_name=f"Nouveau{index}")
        bed = BedFactory(unit__residence=housing["south"].unit.residence)
        booking = services.book_months(
            person=person, bed=bed, first_month=D(2027, 5, 1), months=1, actor=world.owner
        )
        services.prepare_lease(
            person=person,
            unit=bed.unit,
            kind="mobility",
            starts_on=D(2027, 5, 1),
            ends_on=D(2027, 6, 1),
            bookings=[booking],
            actor=world.owner,
        )
        services.submit_application(
            residence=bed.unit.residence,
            person=person,
            wished_from=D(2027, 5, 1),
            actor=world.owner,
        )
    assert count_queries(lambda: client.get(url)) == few
    assert count_queries(lambda: client.get(url, {"export": "xlsx"})) == exported


def test_the_arrears_sort_by_amount_and_export(world, housing, settings):
    settings.ANCRAGE_ARREARS_DELAY_DAYS = 30
    client = client_of(world.owner)
    for booking in Booking.objects.filter(organization=world.org, status="active"):
        services.generate_charges(booking=booking, through=D(2026, 11, 1), actor=world.owner)
    page = client.get(reverse("housing:arrears"), {"tri": "-du"})
    assert first_cells(page.text) == ["Inès ROUX"]
    response = client.get(reverse("housing:arrears"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Occupant·e", "Depuis l'échéance de", "Jours de retard", "Reste dû (€)"]
    assert rows[1][0] == "Inès ROUX" and int(rows[1][2]) > 0

"""A residence run through the API by a landlord's or manager's software: residence, units, a
rhythm, an application housed by a booking on the school weeks, charges, payments, allowances, a
lease signed and an entry inspection — each through the page's service, with its checks."""

from __future__ import annotations

import pytest

from ancrage.housing.models import Booking, BookingPeriod, Charge, Lease, Residence, Unit
from tests.accounts.factories import MembershipFactory
from tests.api.clients import token_client
from tests.housing.factories import BedFactory, ResidenceFactory
from tests.people.factories import PersonFactory


@pytest.fixture
def manager(world):
    return MembershipFactory(organization=world.org, role="coordinator").user


def _created(response, status=201):
    assert response.status_code == status, response.content
    return response.json()


def test_a_residence_year_through_the_api(world, manager):
    api = token_client(manager)
    residence = _created(
        api.post_json(
            "/api/v1/residences/",
            {
                "name": "Résidence des Alternants",
                "kind": "apprentices",
                "common_spaces": ["common_room", "laundry"],
                "external_ref": "RES-1",
            },
        )
    )
    again = api.post_json(
        "/api/v1/residences/", {"name": "X", "kind": "apprentices", "external_ref": "RES-1"}
    )
    assert (again.status_code, again.json()["id"]) == (200, residence["id"])
    unit = _created(
        api.post_json(
            "/api/v1/units/",
            {
                "residence": residence["id"],
                "reference": "A12",
                "typology": "t1",
                "monthly_rent": "420.00",
                "weekly_price": "110.00",
                "beds": 1,
            },
        )
    )
    bed = unit["beds"][0]["id"]
    person = PersonFactory(organization=world.org)
    rhythm = _created(
        api.post_json(
            "/api/v1/rhythms/",
            {
                "person": person.pk,
                "name": "BTS MCO",
                "template": "1/1",
                "first_school_week": "2025-09-01",
                "ends_on": "2026-06-30",
            },
        )
    )
    application = _created(
        api.post_json(
            "/api/v1/housing-applications/",
            {
                "residence": residence["id"],
                "person": person.pk,
                "wished_from": "2025-09-01",
                "granularity": "weeks",
                "rhythm": rhythm["id"],
            },
        )
    )
    booking = _created(
        api.post_json(
            "/api/v1/bookings/",
            {
                "person": person.pk,
                "bed": bed,
                "granularity": "weeks",
                "rhythm": rhythm["id"],
                "start": "2025-09-01",
                "end": "2025-10-26",
                "application": application["id"],
            },
        )
    )
    assert [p["starts_on"] for p in booking["periods"]] == [
        "2025-09-01",
        "2025-09-15",
        "2025-09-29",
        "2025-10-13",
    ]
    housed = api.get(f"/api/v1/housing-applications/{application['id']}/").json()
    assert (housed["status"], housed["booking"]) == ("housed", booking["id"])
    charges = _created(
        api.post_json(
            f"/api/v1/bookings/{booking['id']}/generate-charges/", {"through": "2025-10-01"}
        ),
        200,
    )
    # A week counts in the month of its Monday: 1, 15 and 29 September, then 13 October.
    assert [c["amount"] for c in charges["created"]] == ["330.00", "110.00"]
    _created(
        api.post_json(
            "/api/v1/payments/",
            {
                "person": person.pk,
                "amount": "150.00",
                "paid_on": "2025-09-10",
                "method": "transfer",
            },
        )
    )
    _created(
        api.post_json(
            "/api/v1/payments/allowances/",
            {"person": person.pk, "source": "apl", "month": "2025-09-01", "amount": "70.00"},
        )
    )
    lease = _created(
        api.post_json(
            "/api/v1/leases/",
            {
                "person": person.pk,
                "unit": unit["id"],
                "kind": "furnished",
                "starts_on": "2025-09-01",
                "bookings": [booking["id"]],
            },
        )
    )
    signed = _created(
        api.post_json(f"/api/v1/leases/{lease['id']}/sign/", {"on": "2025-08-28"}), 200
    )
    assert (signed["status"], signed["signed_on"]) == ("active", "2025-08-28")
    inspection = _created(
        api.post_json(
            "/api/v1/inspections/",
            {
                "unit": unit["id"],
                "person": person.pk,
                "lease": lease["id"],
                "kind": "entry",
                "done_on": "2025-09-01",
                "items": [{"room": "Pièce de vie", "element": "Sol", "condition": "good"}],
            },
        )
    )
    assert inspection["items"][0]["condition"] == "good"


def test_a_bed_taken_those_weeks_is_refused_and_nothing_is_written(world, manager):
    bed = BedFactory(unit__residence__organization=world.org, unit__weekly_price=100)
    first, second = PersonFactory.create_batch(2, organization=world.org)
    api = token_client(manager)
    body = {"bed": bed.pk, "granularity": "weeks", "weeks": ["2025-09-01", "2025-09-08"]}
    _created(api.post_json("/api/v1/bookings/", {**body, "person": first.pk}))
    taken = api.post_json("/api/v1/bookings/", {**body, "person": second.pk})
    assert taken.status_code == 400, taken.content
    assert "déjà réservé" in str(taken.json()) or "occupé" in str(taken.json())
    assert Booking.objects.filter(person=second).count() == 0
    assert BookingPeriod.objects.count() == 1


def test_a_booking_needs_the_fields_of_its_mode(world, manager):
    bed = BedFactory(unit__residence__organization=world.org)
    person = PersonFactory(organization=world.org)
    response = token_client(manager).post_json(
        "/api/v1/bookings/", {"person": person.pk, "bed": bed.pk, "granularity": "months"}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"first_month", "months"}
    assert not Booking.objects.exists()


def test_cancel_and_restore_a_booking(world, manager):
    bed = BedFactory(unit__residence__organization=world.org)
    person = PersonFactory(organization=world.org)
    api = token_client(manager)
    booking = _created(
        api.post_json(
            "/api/v1/bookings/",
            {
                "person": person.pk,
                "bed": bed.pk,
                "granularity": "months",
                "first_month": "2025-09-01",
                "months": 10,
            },
        )
    )
    url = f"/api/v1/bookings/{booking['id']}"
    assert _created(api.post_json(f"{url}/cancel/"), 200)["status"] == "cancelled"
    twice = api.post_json(f"{url}/cancel/")
    assert twice.status_code == 400 and "déjà annulée" in str(twice.json())
    assert _created(api.post_json(f"{url}/restore/"), 200)["status"] == "active"


def test_housing_writes_by_role_and_organization(world, manager):
    residence = ResidenceFactory(organization=world.org)
    bed = BedFactory(unit__residence=residence)
    person = PersonFactory(organization=world.org)
    booking = _created(
        token_client(manager).post_json(
            "/api/v1/bookings/",
            {"person": person.pk, "bed": bed.pk, "granularity": "open", "starts_on": "2025-09-01"},
        )
    )
    read_only = token_client(world.colleague)
    assert (
        read_only.post_json("/api/v1/residences/", {"name": "R", "kind": "social"}).status_code
        == 403
    )
    assert read_only.post_json(f"/api/v1/bookings/{booking['id']}/cancel/").status_code == 403
    outsider = token_client(world.outsider)
    assert outsider.post_json(f"/api/v1/bookings/{booking['id']}/cancel/").status_code == 404
    foreign_unit = outsider.post_json(
        "/api/v1/units/",
        {"residence": residence.pk, "reference": "Z", "typology": "t1", "monthly_rent": "1"},
    )
    assert foreign_unit.status_code == 400 and "residence" in foreign_unit.json()
    future = token_client(manager).post_json(
        "/api/v1/payments/",
        {"person": person.pk, "amount": "10.00", "paid_on": "2099-01-01", "method": "cash"},
    )
    assert future.status_code == 400 and "paid_on" in future.json()
    assert (Residence.objects.count(), Unit.objects.count(), Lease.objects.count()) == (1, 1, 0)
    assert not Charge.objects.exists()
    assert Booking.objects.get(pk=booking["id"]).status == "active"

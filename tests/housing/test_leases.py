import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from ancrage.housing import services
from ancrage.housing.models import Lease
from tests.housing.factories import BedFactory, UnitFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def unit(world):
    return UnitFactory(residence__organization=world.org, furnished=False)


def sublet(world, unit, **kwargs):
    return services.prepare_lease(
        person=PersonFactory(organization=world.org),
        unit=unit,
        kind="sublet",
        starts_on=D(2026, 1, 1),
        is_sliding=True,
        planned_slide_on=D(2026, 12, 1),
        actor=world.owner,
        **kwargs,
    )


def test_a_sliding_sublet_passes_to_the_occupant_once_every_condition_is_met(world, unit):
    lease = sublet(world, unit)
    assert lease.conditions.count() == 4
    services.sign_lease(lease=lease, signed_on=D(2026, 1, 1), actor=world.owner)
    with pytest.raises(ValidationError, match="Conditions non remplies"):
        services.slide_lease(lease=lease, on=D(2026, 11, 2), actor=world.owner)
    for condition in lease.conditions.all():
        services.set_slide_condition(condition=condition, met_on=D(2026, 10, 1), actor=world.owner)
    slid = services.slide_lease(lease=lease, on=D(2026, 11, 2), actor=world.owner)
    assert (slid.status, slid.slid_on, slid.ends_on) == ("slid", D(2026, 11, 2), D(2026, 11, 2))
    successor = slid.slid_into
    assert (successor.kind, successor.status, successor.starts_on) == (
        "unfurnished",
        "active",
        D(2026, 11, 2),
    )
    assert successor.person_id == slid.person_id
    assert successor.monthly_rent == slid.monthly_rent


def test_only_a_sublet_slides_and_a_mobility_lease_lasts_one_to_ten_months(world, unit):
    person = PersonFactory(organization=world.org)
    with pytest.raises(ValidationError) as exc:
        services.prepare_lease(
            person=person,
            unit=unit,
            kind="furnished",
            starts_on=D(2026, 1, 1),
            is_sliding=True,
            actor=world.owner,
        )
    assert "is_sliding" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.prepare_lease(
            person=person,
            unit=unit,
            kind="mobility",
            starts_on=D(2026, 1, 1),
            ends_on=D(2026, 12, 1),
            actor=world.owner,
        )
    assert "dix mois" in exc.value.message_dict["ends_on"][0]
    lease = services.prepare_lease(
        person=person,
        unit=unit,
        kind="mobility",
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 11, 1),
        actor=world.owner,
    )
    assert lease.status == "draft"


def test_lifecycle_draft_active_ended_and_no_way_back(world, unit):
    lease = services.prepare_lease(
        person=PersonFactory(organization=world.org),
        unit=unit,
        kind="furnished",
        starts_on=D(2026, 1, 1),
        actor=world.owner,
    )
    with pytest.raises(ValidationError, match="En préparation"):
        services.end_lease(lease=lease, on=D(2026, 6, 30), actor=world.owner)
    services.sign_lease(lease=lease, signed_on=D(2025, 12, 20), actor=world.owner)
    ended = services.end_lease(lease=lease, on=D(2026, 6, 30), actor=world.owner)
    assert (ended.status, ended.ends_on) == ("ended", D(2026, 6, 30))
    with pytest.raises(ValidationError):
        services.sign_lease(lease=lease, signed_on=D(2026, 7, 1), actor=world.owner)


def test_a_lease_covers_the_persons_bookings_of_that_unit(world, unit):
    bed = BedFactory(unit=unit)
    person = PersonFactory(organization=world.org)
    bookings = [
        services.book_weeks(person=person, bed=bed, weeks=[D(2026, 9, 7)], actor=world.owner),
        services.book_weeks(person=person, bed=bed, weeks=[D(2026, 9, 21)], actor=world.owner),
    ]
    lease = services.prepare_lease(
        person=person,
        unit=unit,
        kind="furnished",
        starts_on=D(2026, 9, 7),
        bookings=bookings,
        actor=world.owner,
    )
    assert lease.bookings.count() == 2
    other = services.book_weeks(
        person=PersonFactory(organization=world.org),
        bed=bed,
        weeks=[D(2026, 9, 14)],
        actor=world.owner,
    )
    with pytest.raises(ValidationError) as exc:
        services.prepare_lease(
            person=person,
            unit=unit,
            kind="furnished",
            starts_on=D(2026, 9, 7),
            bookings=[other],
            actor=world.owner,
        )
    assert "bookings" in exc.value.message_dict


@time_machine.travel(datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC))
def test_a_slide_is_not_dated_in_the_future_and_read_only_cannot_act(world, unit):
    lease = sublet(world, unit)
    services.sign_lease(lease=lease, signed_on=D(2026, 1, 1), actor=world.owner)
    for condition in lease.conditions.all():
        services.set_slide_condition(condition=condition, met_on=D(2026, 10, 1), actor=world.owner)
    with pytest.raises(ValidationError):
        services.slide_lease(lease=lease, on=D(2026, 12, 1), actor=world.owner)
    with pytest.raises(PermissionDenied):
        services.slide_lease(lease=lease, on=D(2026, 11, 2), actor=world.colleague)
    assert Lease.objects.get(pk=lease.pk).status == "active"


# --- Pages ---------------------------------------------------------------------------------------

from django.urls import reverse  # noqa: E402


def test_a_sliding_lease_through_the_pages(client, world):
    bed = BedFactory(unit__residence__organization=world.org, unit__furnished=True)
    person = PersonFactory(organization=world.org)
    booking = services.book_open_ended(
        person=person, bed=bed, starts_on=D(2026, 1, 5), actor=world.owner
    )
    client.force_login(world.owner)
    response = client.post(
        reverse("housing:lease_create", args=[booking.pk]),
        {
            "kind": "sublet",
            "starts_on": "2026-01-05",
            "is_sliding": "on",
            "planned_slide_on": "2026-11-01",
        },
    )
    lease = Lease.objects.get()
    assert response.url == reverse("housing:lease_detail", args=[lease.pk])
    assert lease.bookings.get() == booking
    action = reverse("housing:lease_action", args=[lease.pk])
    client.post(action, {"action": "sign", "on": "2026-01-05"})
    refused = client.get(client.post(action, {"action": "slide", "on": "2026-11-02"}).url)
    assert "Conditions non remplies" in refused.text
    for condition in lease.conditions.all():
        client.post(
            reverse("housing:condition_set", args=[lease.pk, condition.pk]),
            {"met_on": "2026-10-15"},
        )
    page = client.get(client.post(action, {"action": "slide", "on": "2026-11-02"}).url)
    assert "Bail glissé" in page.text
    lease.refresh_from_db()
    assert lease.status == "slid"
    assert lease.slid_into.kind == "furnished"


def test_lease_form_errors_name_the_field(client, world):
    bed = BedFactory(unit__residence__organization=world.org)
    booking = services.book_open_ended(
        person=PersonFactory(organization=world.org),
        bed=bed,
        starts_on=D(2026, 1, 5),
        actor=world.owner,
    )
    client.force_login(world.owner)
    response = client.post(
        reverse("housing:lease_create", args=[booking.pk]),
        {"kind": "mobility", "starts_on": "2026-01-05"},
    )
    assert response.status_code == 400
    assert "Un bail mobilité a une date de fin." in response.text
    assert not Lease.objects.exists()


def test_outsiders_cannot_see_or_change_a_lease(client, world):
    lease = sublet(world, UnitFactory(residence__organization=world.org))
    client.force_login(world.outsider)
    assert client.get(reverse("housing:lease_detail", args=[lease.pk])).status_code == 404
    response = client.post(
        reverse("housing:lease_action", args=[lease.pk]), {"action": "sign", "on": "2026-01-01"}
    )
    assert response.status_code == 404
    assert Lease.objects.get().status == "draft"

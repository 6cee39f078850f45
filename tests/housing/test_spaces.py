"""Common spaces of a residence: a slot cannot be taken twice, through the service, the page, the
API or the database itself; every reader and writer sees only their organization's spaces."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from ancrage.housing import services
from ancrage.housing.models import CommonSpace, SpaceBooking
from tests.api.clients import token_client
from tests.housing.factories import CommonSpaceFactory, ResidenceFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def at(day_offset: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A time ``day_offset`` days from now (Paris), at ``hour``:``minute``."""
    day = timezone.localdate() + datetime.timedelta(days=day_offset)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


@pytest.fixture
def room(world):
    return CommonSpaceFactory(residence=ResidenceFactory(organization=world.org), name="Salle")


def book(world, room, start, end, purpose="Atelier cuisine", **kwargs):
    return services.book_space(
        space=room, actor=world.owner, starts_at=start, ends_at=end, purpose=purpose, **kwargs
    )


def test_a_slot_overlapping_another_is_refused_naming_it(world, room):
    book(world, room, at(2, 14), at(2, 16), purpose="Atelier mémoire")
    with pytest.raises(ValidationError) as exc:
        book(world, room, at(2, 15), at(2, 17))
    message = exc.value.message_dict["starts_at"][0]
    assert "« Salle » est déjà réservé" in message
    assert "de 14:00 à 16:00 (Atelier mémoire)" in message
    assert SpaceBooking.objects.count() == 1
    # Touching slots do not overlap; another space is free.
    book(world, room, at(2, 16), at(2, 18))
    book(world, room, at(2, 12), at(2, 14))
    other = CommonSpaceFactory(residence=room.residence, name="Jardin", kind="shared_garden")
    book(world, other, at(2, 14), at(2, 16))
    assert SpaceBooking.objects.count() == 4


def test_cancelling_frees_the_slot(world, room):
    first = book(world, room, at(3, 10), at(3, 12))
    services.cancel_space_booking(booking=first, actor=world.owner)
    second = book(world, room, at(3, 11), at(3, 12))
    assert second.is_active
    first.refresh_from_db()
    assert not first.is_active and first.cancelled_at is not None
    with pytest.raises(ValidationError):
        services.cancel_space_booking(booking=first, actor=world.owner)


def test_the_database_itself_refuses_an_overlap(world, room):
    book(world, room, at(4, 14), at(4, 16))
    with pytest.raises(IntegrityError), transaction.atomic():
        SpaceBooking.objects.create(
            organization=world.org,
            space=room,
            starts_at=at(4, 15, 59),
            ends_at=at(4, 18),
            purpose="Passé à côté du service",
        )
    # Touching is not overlapping, and a cancelled slot does not count.
    SpaceBooking.objects.create(
        organization=world.org, space=room, starts_at=at(4, 16), ends_at=at(4, 17), purpose="x"
    )
    SpaceBooking.objects.create(
        organization=world.org,
        space=room,
        starts_at=at(4, 14),
        ends_at=at(4, 16),
        purpose="annulé",
        is_active=False,
        cancelled_at=timezone.now(),
    )


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        (at(5, 16), at(5, 14), "ends_at", "La fin doit suivre le début"),
        (at(5, 8), at(6, 9), "ends_at", "au plus 24 heures"),
        (at(900, 10), at(900, 12), "starts_at", "dans deux ans"),
        (at(-400, 10), at(-400, 12), "starts_at", "il y a un an"),
        (
            datetime.datetime(2027, 1, 5, 10),  # noqa: DTZ001 (naive on purpose)
            datetime.datetime(2027, 1, 5, 12),  # noqa: DTZ001
            "starts_at",
            "fuseau horaire",
        ),
    ],
)
def test_bad_slots_are_refused_naming_the_field_and_nothing_is_written(
    world, room, start, end, field, words
):
    with pytest.raises(ValidationError) as exc:
        book(world, room, start, end)
    assert words in exc.value.message_dict[field][0]
    assert not SpaceBooking.objects.exists()


def test_closed_unbookable_or_foreign_is_refused(world, room):
    laundry = services.add_space(residence=room.residence, actor=world.owner, kind="laundry")
    assert laundry.name == "Laverie" and not laundry.bookable
    with pytest.raises(ValidationError) as exc:
        book(world, laundry, at(2, 9), at(2, 10))
    assert "ne se réserve pas" in exc.value.message_dict["space"][0]
    services.update_space(space=room, actor=world.owner, is_active=False)
    with pytest.raises(ValidationError) as exc:
        book(world, room, at(2, 9), at(2, 10))
    assert "fermé" in exc.value.message_dict["space"][0]
    services.update_space(space=room, actor=world.owner, is_active=True)
    with pytest.raises(ValidationError) as exc:
        book(world, room, at(2, 9), at(2, 10), person=PersonFactory(organization=world.other_org))
    assert "person" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        book(world, room, at(2, 9), at(2, 10), purpose="x" * 151)
    assert "purpose" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.book_space(
            space=room, actor=world.colleague, starts_at=at(2, 9), ends_at=at(2, 10), purpose="x"
        )
    assert not SpaceBooking.objects.exists()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_requests_for_one_hour_one_wins(world, room):
    start = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(number):
        try:
            start.wait()
            book(world, room, at(7, 14, number), at(7, 15, number), purpose=f"Demande {number}")
            result = "ok"
        except ValidationError as exc:
            result = exc.message_dict["starts_at"][0]
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    refusals = [o for o in outcomes if o != "ok"]
    assert len(refusals) == 19
    assert all("déjà réservé" in o or "vient d'être réservé" in o for o in refusals)
    assert SpaceBooking.objects.filter(space=room, is_active=True).count() == 1


# Pages


def _space_url(room, name="housing:space_detail"):
    return reverse(name, args=[room.residence_id, room.pk])


def _slot_form(day, start="14:00", end="16:00", purpose="Atelier cuisine", person=""):
    return {
        "day": day.isoformat(),
        "starts": start,
        "ends": end,
        "purpose": purpose,
        "person": person,
    }


def test_the_manager_books_the_common_room_in_the_page_and_cannot_twice(client, world, room):
    client.force_login(world.owner)
    day = timezone.localdate() + datetime.timedelta(days=2)
    response = client.post(_space_url(room, "housing:space_book"), _slot_form(day))
    assert response.status_code == 302
    calendar = client.get(response.url)
    assert "14:00 – 16:00" in calendar.text
    assert "Atelier cuisine" in calendar.text
    again = client.post(
        _space_url(room, "housing:space_book"), _slot_form(day, "15:00", "17:00", "Réunion")
    )
    assert again.status_code == 400
    assert "« Salle » est déjà réservé" in again.text
    assert SpaceBooking.objects.count() == 1
    # The refused slot's week is shown, with the slot that holds it.
    assert "Atelier cuisine" in again.text


def test_the_page_names_bad_fields_and_writes_nothing(client, world, room):
    client.force_login(world.owner)
    day = timezone.localdate() + datetime.timedelta(days=2)
    response = client.post(
        _space_url(room, "housing:space_book"),
        _slot_form(day, "16:00", "14:00", purpose="y" * 500, person="Personne Inconnue"),
    )
    assert response.status_code == 400
    assert "La fin doit suivre le début." in response.text
    assert "Personne introuvable" in response.text
    assert "150 caractères" in response.text
    bad_day = client.post(_space_url(room, "housing:space_book"), {"day": "31/02/2027"})
    assert bad_day.status_code == 400
    assert not SpaceBooking.objects.exists()


def test_a_resident_slot_and_its_cancellation(client, world, room):
    jeanne = PersonFactory(organization=world.org, first_name="Jeanne", last_name="Lefort")
    slot = book(world, room, at(1, 12), at(1, 15), purpose="Repas de famille", person=jeanne)
    client.force_login(world.owner)
    page = client.get(_space_url(room) + f"?semaine={at(1, 12).date().isoformat()}")
    assert "Repas de famille — pour Jeanne LEFORT" in page.text or "Jeanne" in page.text
    response = client.post(reverse("housing:space_booking_cancel", args=[slot.pk]))
    assert response.status_code == 302
    slot.refresh_from_db()
    assert not slot.is_active
    assert "Repas de famille" not in client.get(response.url).text


def test_spaces_are_added_and_changed_in_the_pages(client, world):
    residence = ResidenceFactory(organization=world.org)
    client.force_login(world.owner)
    response = client.post(
        reverse("housing:space_add", args=[residence.pk]),
        {"space-kind": "shared_garden", "space-name": "", "space-capacity": "12"},
    )
    garden = CommonSpace.objects.get()
    assert response.url == _space_url(garden)
    assert (garden.name, garden.capacity) == ("Jardin partagé", 12)
    assert not garden.bookable  # an unticked box
    refused = client.post(
        reverse("housing:space_add", args=[residence.pk]),
        {"space-kind": "common_room", "space-name": "Jardin partagé"},
    )
    assert refused.status_code == 400
    assert "porte déjà ce nom" in refused.text
    edited = client.post(
        _space_url(garden, "housing:space_edit"),
        {"space-name": "Potager", "space-capacity": "", "space-bookable": "on"},
    )
    assert edited.status_code == 302
    garden.refresh_from_db()
    assert (garden.name, garden.capacity, garden.bookable, garden.is_active) == (
        "Potager",
        None,
        True,
        False,
    )
    page = client.get(reverse("housing:residence_detail", args=[residence.pk]))
    assert "Potager" in page.text and "fermé" in page.text


def test_who_sees_and_who_books(client, world, room):
    slot = book(world, room, at(1, 10), at(1, 11))
    url = _space_url(room)
    day = timezone.localdate() + datetime.timedelta(days=3)
    client.force_login(world.colleague)
    assert client.get(url).status_code == 200
    assert client.post(_space_url(room, "housing:space_book"), _slot_form(day)).status_code == 403
    assert client.post(reverse("housing:space_booking_cancel", args=[slot.pk])).status_code == 403
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    assert client.post(_space_url(room, "housing:space_book"), _slot_form(day)).status_code == 404
    assert client.post(reverse("housing:space_booking_cancel", args=[slot.pk])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert SpaceBooking.objects.filter(is_active=True).count() == 1


def test_the_calendar_keeps_a_constant_query_count(client, world, room, count_queries):
    client.force_login(world.owner)
    url = _space_url(room) + f"?semaine={at(1, 10).date().isoformat()}"
    book(world, room, at(1, 10), at(1, 11), person=PersonFactory(organization=world.org))
    client.get(url)  # the session and the memberships, read once
    one = count_queries(lambda: client.get(url))
    for hour in range(12, 20):
        book(
            world, room, at(1, hour), at(1, hour + 1), person=PersonFactory(organization=world.org)
        )
    assert count_queries(lambda: client.get(url)) == one


# API


def test_the_api_books_refuses_an_overlap_and_cancels(world, room):
    api = token_client(world.owner)
    sent = {
        "space": room.pk,
        "starts_at": at(2, 14).isoformat(),
        "ends_at": at(2, 16).isoformat(),
        "purpose": "Atelier",
    }
    created = api.post_json("/api/v1/space-bookings/", sent)
    assert created.status_code == 201, created.content
    again = api.post_json(
        "/api/v1/space-bookings/",
        {**sent, "starts_at": at(2, 15).isoformat(), "ends_at": at(2, 18).isoformat()},
    )
    assert again.status_code == 400
    assert "déjà réservé" in again.json()["starts_at"][0]
    assert SpaceBooking.objects.count() == 1
    slot = created.json()["id"]
    cancelled = api.post_json(f"/api/v1/space-bookings/{slot}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["is_active"] is False
    assert (
        api.post_json(
            "/api/v1/space-bookings/",
            {**sent, "starts_at": at(2, 15).isoformat(), "ends_at": at(2, 18).isoformat()},
        ).status_code
        == 201
    )


def test_the_api_adds_and_changes_spaces(world):
    residence = ResidenceFactory(organization=world.org)
    api = token_client(world.owner)
    created = api.post_json(
        "/api/v1/common-spaces/", {"residence": residence.pk, "kind": "common_room", "capacity": 20}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["name"], body["bookable"], body["is_active"]) == ("Salle commune", True, True)
    changed = api.patch_json(f"/api/v1/common-spaces/{body['id']}/", {"is_active": False})
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    refused = api.post_json(
        "/api/v1/common-spaces/", {"residence": residence.pk, "kind": "ballroom"}
    )
    assert refused.status_code == 400 and "kind" in refused.json()
    residence_read = api.get(f"/api/v1/residences/{residence.pk}/").json()
    assert residence_read["common_spaces"] == []  # closed spaces are not listed
    assert CommonSpace.objects.count() == 1


def test_api_bad_input_names_the_field_and_writes_nothing(world, room):
    api = token_client(world.owner)
    for body, field in [
        (
            {"space": room.pk, "starts_at": "2027-13-01T10:00", "ends_at": "x", "purpose": "a"},
            "starts_at",
        ),
        (
            {
                "space": room.pk,
                "starts_at": at(2, 10).isoformat(),
                "ends_at": at(2, 9).isoformat(),
                "purpose": "a",
            },
            "ends_at",
        ),
        (
            {
                "space": room.pk,
                "starts_at": at(2, 10).isoformat(),
                "ends_at": at(2, 11).isoformat(),
                "purpose": "a" * 151,
            },
            "purpose",
        ),
        (
            {
                "space": 2**62,
                "starts_at": at(2, 10).isoformat(),
                "ends_at": at(2, 11).isoformat(),
                "purpose": "a",
            },
            "space",
        ),
        (
            {
                "space": room.pk,
                "starts_at": at(2, 10).isoformat(),
                "ends_at": at(2, 11).isoformat(),
                "purpose": "a",
                "person": PersonFactory(organization=world.other_org).pk,
            },
            "person",
        ),
    ]:
        response = api.post_json("/api/v1/space-bookings/", body)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json(), response.json()
    assert not SpaceBooking.objects.exists()


def test_api_who_reads_and_who_writes(world, room, count_queries):
    slot = book(world, room, at(1, 10), at(1, 11))
    sent = {
        "space": room.pk,
        "starts_at": at(3, 10).isoformat(),
        "ends_at": at(3, 11).isoformat(),
        "purpose": "x",
    }
    colleague = token_client(world.colleague)
    assert colleague.get(f"/api/v1/space-bookings/{slot.pk}/").status_code == 200
    assert colleague.post_json("/api/v1/space-bookings/", sent).status_code == 403
    assert colleague.post_json(f"/api/v1/space-bookings/{slot.pk}/cancel/").status_code == 403
    outsider = token_client(world.outsider)
    assert outsider.get(f"/api/v1/space-bookings/{slot.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/common-spaces/{room.pk}/").status_code == 404
    assert outsider.get("/api/v1/space-bookings/").json()["results"] == []
    assert outsider.post_json("/api/v1/space-bookings/", sent).status_code == 400
    assert outsider.post_json(f"/api/v1/space-bookings/{slot.pk}/cancel/").status_code == 404
    assert client_anonymous_status(f"/api/v1/space-bookings/{slot.pk}/") == 401
    owner = token_client(world.owner)
    owner.get("/api/v1/space-bookings/")
    one = count_queries(lambda: owner.get(f"/api/v1/space-bookings/?space={room.pk}"))
    for hour in range(12, 20):
        book(
            world, room, at(1, hour), at(1, hour + 1), person=PersonFactory(organization=world.org)
        )
    assert count_queries(lambda: owner.get(f"/api/v1/space-bookings/?space={room.pk}")) == one
    assert SpaceBooking.objects.filter(is_active=True).count() == 9


def client_anonymous_status(url: str) -> int:
    from django.test import Client

    return Client().get(url).status_code

"""The staff's weekly presence at a residence, and the requests and incidents brought to them,
followed to done — in the pages and through the API."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ancrage.housing import services
from ancrage.housing.models import ResidenceRequest, StaffSlot
from tests.api.clients import token_client
from tests.housing.factories import ResidenceFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def residence(world):
    return ResidenceFactory(organization=world.org, name="Maison du Lien")


def test_the_schedule_shows_on_the_residence_page(client, world, residence):
    client.force_login(world.owner)
    added = client.post(
        reverse("housing:staff_slot_add", args=[residence.pk]),
        {"slot-weekday": "4", "slot-starts": "09:00", "slot-ends": "17:00", "slot-who": "Claire"},
    )
    assert added.status_code == 302
    client.post(
        reverse("housing:staff_slot_add", args=[residence.pk]),
        {"slot-weekday": "2", "slot-starts": "09:00", "slot-ends": "17:00", "slot-who": "Claire"},
    )
    page = " ".join(
        client.get(reverse("housing:residence_detail", args=[residence.pk])).text.split()
    )
    section = page[page.index('id="h-presence"') :]
    assert section.index("mardi") < section.index("jeudi")  # in the week's order
    assert "09:00 – 17:00" in page
    bad = client.post(
        reverse("housing:staff_slot_add", args=[residence.pk]),
        {"slot-weekday": "9", "slot-starts": "17:00", "slot-ends": "09:00", "slot-who": ""},
    )
    assert bad.status_code == 400
    assert StaffSlot.objects.count() == 2
    slot = StaffSlot.objects.get(weekday=4)
    client.post(reverse("housing:staff_slot_remove", args=[residence.pk, slot.pk]))
    assert list(StaffSlot.objects.values_list("weekday", flat=True)) == [2]


def test_a_slot_ending_before_it_starts_is_refused(world, residence):
    with pytest.raises(ValidationError) as exc:
        services.add_staff_slot(
            residence=residence,
            actor=world.owner,
            weekday=2,
            starts=datetime.time(17),
            ends=datetime.time(9),
            who="Claire",
        )
    assert "ends" in exc.value.message_dict
    assert not StaffSlot.objects.exists()


def test_a_request_is_followed_to_done(client, world, residence):
    jeanne = PersonFactory(organization=world.org, first_name="Jeanne", last_name="Lefort")
    from ancrage.people.queries import person_label

    client.force_login(world.owner)
    logged = client.post(
        reverse("housing:request_add", args=[residence.pk]),
        {
            "kind": "incident",
            "occurred_on": timezone.localdate().isoformat(),
            "summary": "Fuite d'eau dans la laverie",
            "person": person_label(jeanne),
        },
    )
    assert logged.status_code == 302
    found = ResidenceRequest.objects.get()
    assert (found.person, found.status, found.recorded_by) == (jeanne, "open", world.owner)
    page = client.get(reverse("housing:residence_detail", args=[residence.pk]))
    assert "1 à traiter ou en cours" in page.text
    client.post(
        reverse("housing:request_status", args=[residence.pk, found.pk]), {"status": "done"}
    )
    found.refresh_from_db()
    assert (found.status, found.done_on) == ("done", timezone.localdate())
    client.post(
        reverse("housing:request_status", args=[residence.pk, found.pk]), {"status": "open"}
    )
    found.refresh_from_db()
    assert (found.status, found.done_on) == ("open", None)


def test_bad_requests_are_refused_naming_the_field(client, world, residence):
    client.force_login(world.owner)
    response = client.post(
        reverse("housing:request_add", args=[residence.pk]),
        {
            "kind": "incident",
            "occurred_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "summary": "x" * 400,
            "person": "Personne Inconnue",
        },
    )
    assert response.status_code == 400
    assert "300 caractères" in response.text
    assert "Personne introuvable" in response.text
    with pytest.raises(ValidationError) as exc:
        services.log_request(
            residence=residence,
            actor=world.owner,
            kind="incident",
            occurred_on=timezone.localdate() + datetime.timedelta(days=3),
            summary="Demain",
        )
    assert "occurred_on" in exc.value.message_dict
    assert not ResidenceRequest.objects.exists()


def test_who_reads_and_who_writes(client, world, residence):
    found = services.log_request(
        residence=residence,
        actor=world.owner,
        kind="request",
        occurred_on=timezone.localdate(),
        summary="Ampoule à changer",
    )
    status_url = reverse("housing:request_status", args=[residence.pk, found.pk])
    list_url = reverse("housing:request_list", args=[residence.pk])
    client.force_login(world.colleague)
    assert client.get(list_url).status_code == 200
    assert client.post(status_url, {"status": "done"}).status_code == 403
    client.force_login(world.outsider)
    assert client.get(list_url).status_code == 404
    assert client.post(status_url, {"status": "done"}).status_code == 404
    client.logout()
    assert client.get(list_url).status_code == 302
    found.refresh_from_db()
    assert found.status == "open"


def test_the_api_schedules_and_follows_requests(world, residence):
    api = token_client(world.owner)
    slot = api.post_json(
        "/api/v1/staff-slots/",
        {"residence": residence.pk, "weekday": 2, "starts": "09:00", "ends": "17:00", "who": "C."},
    )
    assert slot.status_code == 201, slot.content
    wrong = api.post_json(
        "/api/v1/staff-slots/",
        {"residence": residence.pk, "weekday": 8, "starts": "17:00", "ends": "09:00", "who": ""},
    )
    assert wrong.status_code == 400 and "weekday" in wrong.json()
    logged = api.post_json(
        "/api/v1/residence-requests/",
        {
            "residence": residence.pk,
            "kind": "request",
            "occurred_on": timezone.localdate().isoformat(),
            "summary": "Clé perdue",
        },
    )
    assert logged.status_code == 201, logged.content
    done = api.patch_json(f"/api/v1/residence-requests/{logged.json()['id']}/", {"status": "done"})
    assert done.status_code == 200 and done.json()["done_on"] == timezone.localdate().isoformat()
    assert api.delete(f"/api/v1/staff-slots/{slot.json()['id']}/").status_code == 204
    outsider = token_client(world.outsider)
    assert outsider.get(f"/api/v1/residence-requests/{logged.json()['id']}/").status_code == 404
    assert Client().get("/api/v1/staff-slots/").status_code == 401
    colleague = token_client(world.colleague)
    assert (
        colleague.patch_json(
            f"/api/v1/residence-requests/{logged.json()['id']}/", {"status": "open"}
        ).status_code
        == 403
    )

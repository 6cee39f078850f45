"""The rights actions through the API: the same services, permissions and French messages."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ancrage.people.models import Person
from ancrage.privacy.models import RightsRequest
from tests.api.clients import token_client
from tests.people.factories import PersonFactory

BASE = "/api/v1/rights-requests/"


@pytest.fixture
def api(world):
    return token_client(world.owner)


def test_a_request_is_logged_listed_and_answered(world, api):
    person = PersonFactory(organization=world.org)
    response = api.post(
        BASE,
        {"person": person.pk, "kind": "rectification", "received_on": "2026-10-31"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["due_on"] == "2026-11-30" and created["status"] == "open"
    listed = api.get(BASE, {"status": "open"}).json()
    assert [r["id"] for r in listed["results"]] == [created["id"]]
    response = api.post(
        f"{BASE}{created['id']}/answer/",
        {"refused": True, "reason": ""},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"reason": ["Indiquez le motif du refus."]}
    response = api.post(f"{BASE}{created['id']}/answer/", {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "answered"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"kind": "access", "received_on": "2099-01-01"}, "received_on"),
        ({"kind": "magie", "received_on": "2026-01-05"}, "kind"),
        ({"kind": "access", "received_on": "2026-01-05", "person": 999999}, "person"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(api, data, field):
    response = api.post(BASE, data, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not RightsRequest.objects.exists()


def test_export_returns_the_whole_file_and_erase_anonymises_it(world, api):
    person = PersonFactory(organization=world.org, last_name="Exportée")
    response = api.post(f"{BASE}export/", {"person": person.pk}, content_type="application/json")
    assert response.status_code == 200
    identity = response.json()["sections"][0]
    assert identity["enregistrements"][0]["last_name"] == "Exportée"
    assert RightsRequest.objects.get(person=person).status == "answered"
    response = api.post(
        f"{BASE}erase/",
        {"person": person.pk, "reason": "Demande écrite"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["kind"] == "erasure"
    assert Person.objects.get(pk=person.pk).anonymised_on == timezone.localdate()
    # Gone: a second erasure or export finds no one.
    again = api.post(f"{BASE}export/", {"person": person.pk}, content_type="application/json")
    assert again.status_code == 400


def test_another_organizations_person_or_request_is_out_of_reach(world, api):
    theirs = PersonFactory(organization=world.other_org)
    response = api.post(f"{BASE}export/", {"person": theirs.pk}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"person": ["Personne introuvable dans vos structures."]}
    request = RightsRequest.objects.create(
        organization=world.other_org, kind="access", received_on=datetime.date(2026, 1, 5)
    )
    assert api.get(f"{BASE}{request.pk}/").status_code == 404
    assert token_client(world.outsider).get(f"{BASE}{request.pk}/").status_code == 200

"""Logging contacts through the API: the page's service, its rules and messages."""

from __future__ import annotations

import pytest
from django.test import Client

from ancrage.support.models import Contact
from tests.accounts.factories import MembershipFactory
from tests.api.clients import token_client
from tests.people.factories import PersonFactory

URL = "/api/v1/contacts/"
CALL = {"channel": "phone", "subjects": ["housing"], "outcome": "information"}


def _post(client, data):
    return client.post(URL, data, content_type="application/json")


@pytest.fixture
def counsellor(world):
    return MembershipFactory(organization=world.org, role="counsellor").user


def test_a_past_contact_with_a_person_is_logged_once_per_external_ref(world, counsellor):
    person = PersonFactory(organization=world.org)
    client = token_client(counsellor)
    data = {
        **CALL,
        "person": person.pk,
        "occurred_at": "2025-03-04T10:30:00+01:00",
        "external_ref": "c-1",
    }
    first = _post(client, data)
    assert first.status_code == 201, first.content
    assert first.json()["occurred_at"].startswith("2025-03-04T10:30")
    again = _post(client, data)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Contact.objects.filter(organization=world.org).count() == 1
    assert Contact.objects.get().recorded_by == counsellor


def test_an_anonymous_contact_keeps_its_age_band_commune_and_situation(world, counsellor):
    from ancrage.core.territories import load_territories

    load_territories(only_departements=["62"])
    response = _post(
        token_client(counsellor),
        {**CALL, "age_band": "18_20", "commune_code": "62041", "situation": "student"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["commune_code"] == "62041"


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({**CALL, "occurred_at": "2099-01-01T10:00:00+01:00"}, "occurred_at", "Date du contact"),
        ({**CALL, "subjects": []}, "subjects", ""),
        ({**CALL, "channel": "outreach_desk"}, "desk", "permanence"),
        ({**CALL, "person": 999999}, "person", "Personne introuvable"),
        ({**CALL, "partner": 999999}, "partner", "introuvable"),
        ({**CALL, "commune_code": "99999"}, "commune_code", "Commune inconnue"),
        ({**CALL, "outcome": "magie"}, "outcome", "n'est pas un choix valide"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(
    world, counsellor, data, field, message
):
    response = _post(token_client(counsellor), data)
    assert response.status_code == 400, response.content
    assert message in " ".join(str(m) for m in response.json()[field])
    assert not Contact.objects.exists()


def test_another_organizations_person_is_out_of_reach(world, counsellor):
    theirs = PersonFactory(organization=world.other_org)
    response = _post(token_client(counsellor), {**CALL, "person": theirs.pk})
    assert response.status_code == 400 and "person" in response.json()
    assert not Contact.objects.exists()


def test_read_only_403_outsider_404_anonymous_refused(world):
    response = _post(token_client(world.colleague), CALL)
    assert response.status_code == 403
    outsider = _post(token_client(world.outsider), {**CALL, "organization": world.org.pk})
    assert outsider.status_code == 404
    assert Client().post(URL, CALL, content_type="application/json").status_code in (401, 403)
    assert not Contact.objects.filter(organization=world.org).exists()

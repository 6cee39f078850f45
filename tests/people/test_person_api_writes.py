"""Creating and changing people through the API: the page's service, rules and messages."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from ancrage.audit.models import AuditEvent
from ancrage.people.models import Person
from tests.accounts.factories import MembershipFactory
from tests.api.clients import token_client
from tests.people.factories import PersonFactory

URL = "/api/v1/persons/"
ELODIE = {"last_name": "Martinez", "first_name": "Élodie", "birth_date": "2004-05-06"}


def _post(client, data):
    return client.post(URL, data, content_type="application/json")


@pytest.fixture
def counsellor(world):
    return MembershipFactory(organization=world.org, role="counsellor").user


def test_a_counsellor_creates_a_person_with_resources_and_household(world, counsellor):
    response = _post(
        token_client(counsellor),
        {
            **ELODIE,
            "phone": "06 12 34 56 78",
            "situation": "apprentice",
            "resources": [{"kind": "apprentice_wages", "monthly_amount": "850.00"}],
            "household": [{"first_name": "Léo", "relationship": "child", "birth_year": 2023}],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["first_name"], body["phone"], body["organization"]) == (
        "Élodie",
        "+33612345678",
        world.org.pk,
    )
    assert body["resources"] == [{"kind": "apprentice_wages", "monthly_amount": "850.00"}]
    person = Person.objects.get(pk=body["id"])
    assert person.created_by == counsellor
    event = AuditEvent.objects.for_object(person).get(action="create")
    assert event.actor_label == counsellor.email


def test_the_same_external_ref_updates_instead_of_duplicating(world, counsellor):
    client = token_client(counsellor)
    first = _post(client, {**ELODIE, "external_ref": "ext-42"})
    assert first.status_code == 201
    again = _post(client, {**ELODIE, "external_ref": "ext-42", "phone": "0612345678"})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and again.json()["phone"] == "+33612345678"
    assert Person.objects.filter(organization=world.org).count() == 1


def test_a_look_alike_is_a_409_with_the_candidates_until_confirmed(world, counsellor):
    existing = PersonFactory(
        organization=world.org,
        last_name="MARTINEZ",
        first_name="Elodie",
        birth_date=datetime.date(2004, 5, 6),
    )
    client = token_client(counsellor)
    response = _post(client, ELODIE)
    assert response.status_code == 409
    assert [c["id"] for c in response.json()["candidates"]] == [existing.pk]
    assert Person.objects.filter(organization=world.org).count() == 1
    confirmed = _post(client, {**ELODIE, "confirm_not_duplicate": True})
    assert confirmed.status_code == 201


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({**ELODIE, "birth_date": "2099-01-01"}, "birth_date", "dans le futur"),
        ({**ELODIE, "last_name": "Ma\u202ertinez"}, "last_name", "Nom"),
        ({**ELODIE, "commune_code": "99999"}, "commune_code", "Commune inconnue"),
        ({**ELODIE, "situation": "astronaute"}, "situation", "n'est pas un choix valide"),
        ({"first_name": "Sans nom"}, "last_name", "Ce champ est obligatoire"),
        (
            {**ELODIE, "resources": [{"kind": "rsa", "monthly_amount": "1.00"}] * 21},
            "resources",
            "20",
        ),
        (
            {**ELODIE, "household": [{"first_name": "Léa", "relationship": "child"}] * 21},
            "household",
            "20",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(
    world, counsellor, data, field, message
):
    response = _post(token_client(counsellor), data)
    assert response.status_code == 400
    assert message in str(response.json()[field])  # a list: {"non_field_errors": [...]}
    assert not Person.objects.exists()


def test_read_only_and_funder_get_403_outsider_404_anonymous_401(world):
    client = token_client(world.colleague)  # read-only member
    response = _post(client, ELODIE)
    assert response.status_code == 403
    assert "modifier les personnes" in response.json()["detail"]
    funder = MembershipFactory(role="funder").user
    assert _post(token_client(funder), ELODIE).status_code == 403
    outsider = _post(token_client(world.outsider), {**ELODIE, "organization": world.org.pk})
    assert outsider.status_code == 404
    assert Client().post(URL, ELODIE, content_type="application/json").status_code in (401, 403)
    assert not Person.objects.filter(organization=world.org).exists()


def test_patch_changes_only_the_fields_given(world, counsellor):
    person = PersonFactory(organization=world.org, phone="+33611111111", situation="student")
    client = token_client(counsellor)
    response = client.patch(
        f"{URL}{person.pk}/", {"situation": "apprentice"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert (person.situation, person.phone) == ("apprentice", "+33611111111")
    other = PersonFactory(organization=world.other_org)
    assert (
        client.patch(
            f"{URL}{other.pk}/", {"situation": "apprentice"}, content_type="application/json"
        ).status_code
        == 404
    )
    read_only = token_client(world.colleague).patch(
        f"{URL}{person.pk}/", {"situation": "student"}, content_type="application/json"
    )
    assert read_only.status_code == 403
    person.refresh_from_db()
    assert person.situation == "apprentice"


def test_several_organizations_must_say_which(world, counsellor):
    MembershipFactory(user=counsellor, role="counsellor")
    response = _post(token_client(counsellor), ELODIE)
    assert response.status_code == 400 and "organization" in response.json()
    response = _post(token_client(counsellor), {**ELODIE, "organization": world.org.pk})
    assert response.status_code == 201


def test_the_schema_says_how_many_resources_and_household_members_a_person_may_have():
    from drf_spectacular.generators import SchemaGenerator

    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    for name in ("PersonWriteRequest", "PatchedPersonWriteRequest"):
        properties = schemas[name]["properties"]
        assert properties["resources"]["maxItems"] == 20, name
        assert properties["household"]["maxItems"] == 20, name

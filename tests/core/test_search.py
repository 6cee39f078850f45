"""The header's search finds a person by name without accents, by phone or SNE number, a
residence or a unit, a partner — for the current organization only."""

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.audit.models import AuditEvent
from tests.accounts.factories import OrganizationFactory
from tests.housing.factories import UnitFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def search(user, q):
    client = Client()
    client.force_login(user)
    return client.get(reverse("core:search"), {"q": q})


def test_finds_a_person_without_accents_and_by_phone(world):
    elodie = PersonFactory(
        organization=world.org, first_name="Élodie", last_name="Lefèvre", phone="0612345678"
    )
    PersonFactory(organization=world.other_org, first_name="Élodie", last_name="Ailleurs")
    page = search(world.owner, "elodie lefevre").text
    assert f'href="{reverse("people:person_detail", args=[elodie.pk])}">LEFÈVRE Élodie</a>' in page
    assert "AILLEURS" not in page
    assert "LEFÈVRE Élodie" in search(world.owner, "06 12 34 56 78").text
    # Read through a search like through a list: in the trail.
    assert AuditEvent.objects.filter(object_repr="liste de 1", actor=world.owner).exists()


def test_finds_a_unit_and_a_partner(world):
    unit = UnitFactory(residence__organization=world.org, reference="T2-14")
    OrganizationFactory(name="Toit Solidaire d'Artois")
    page = search(world.owner, "t2-14").text
    assert f"T2-14 — {unit.residence.name}" in page
    assert "Toit Solidaire d&#x27;Artois" in search(world.owner, "solidaire").text


def test_a_one_letter_search_asks_for_more(world):
    page = search(world.owner, "a").text
    assert "Tapez au moins deux caractères." in page


@pytest.mark.parametrize(("persona", "status"), [("owner", 200), ("colleague", 200)])
def test_the_team_searches(world, persona, status):
    assert search(getattr(world, persona), "xy").status_code == status


def test_anonymous_visitors_log_in_first(client):
    response = client.get(reverse("core:search"), {"q": "martin"})
    assert response.status_code == 302 and "/compte/login/" in response["Location"]

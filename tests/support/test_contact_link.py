"""An anonymous contact can be given its person afterwards: someone already followed, or a new
file; through the page and the API, with the same checks."""

import datetime

import pytest
from django.urls import reverse

from ancrage.people.models import Person
from tests.api.clients import token_client
from tests.clients import client_of
from tests.core.factories import TerritoryFactory
from tests.people.factories import PersonFactory
from tests.support.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous(world):
    return ContactFactory(
        organization=world.org,
        age_band="18_20",
        commune=TerritoryFactory(code="62498", name="Lens"),
        situation="student",
    )


def test_an_anonymous_contact_gets_a_new_file(world, anonymous):
    url = reverse("support:contact_link_person", args=[anonymous.pk])
    listing = client_of(world.owner).get(reverse("support:contact_list")).text
    assert f'href="{url}">rattacher à une fiche' in listing
    response = client_of(world.owner).post(
        url, {"choice": "new", "last_name": "Roux", "first_name": "Inès", "phone": "0612345678"}
    )
    assert response.status_code == 302
    person = Person.objects.get(last_name="Roux")
    assert response["Location"] == reverse("people:person_detail", args=[person.pk])
    assert person.commune.code == "62498" and person.situation == "student"  # from the contact
    anonymous.refresh_from_db()
    assert anonymous.person == person and anonymous.age_band == "" and anonymous.commune is None


def test_a_new_file_that_looks_like_one_asks_first(world, anonymous):
    PersonFactory(
        organization=world.org,
        last_name="Roux",
        first_name="Inès",
        birth_date=datetime.date(2006, 3, 1),
    )
    url = reverse("support:contact_link_person", args=[anonymous.pk])
    response = client_of(world.owner).post(
        url,
        {"choice": "new", "last_name": "roux", "first_name": "ines", "birth_date": "2006-03-01"},
    )
    assert response.status_code == 200
    assert "Une fiche ressemble à celle que vous créez" in response.text
    anonymous.refresh_from_db()
    assert anonymous.person is None and Person.objects.count() == 1


def test_an_anonymous_contact_goes_to_someone_followed(world, anonymous):
    person = PersonFactory(organization=world.org, last_name="Roux", first_name="Inès")
    label = f"ROUX Inès [{person.pk}]"
    response = client_of(world.owner).post(
        reverse("support:contact_link_person", args=[anonymous.pk]),
        {"choice": "existing", "person": label},
    )
    assert response.status_code == 302
    anonymous.refresh_from_db()
    assert anonymous.person == person


def test_missing_names_are_named_and_nothing_is_written(world, anonymous):
    response = client_of(world.owner).post(
        reverse("support:contact_link_person", args=[anonymous.pk]), {"choice": "new"}
    )
    assert response.status_code == 200
    assert "Indiquez le nom." in response.text and "Indiquez le prénom." in response.text
    assert not Person.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("colleague", 403), ("outsider", 404)])
def test_only_the_team_that_records_links(world, anonymous, persona, status):
    url = reverse("support:contact_link_person", args=[anonymous.pk])
    assert client_of(getattr(world, persona)).get(url).status_code == status


def test_the_api_links_with_the_same_checks(world, anonymous):
    person = PersonFactory(organization=world.org)
    stranger = PersonFactory(organization=world.other_org)
    url = f"/api/v1/contacts/{anonymous.pk}/link-person/"
    response = token_client(world.owner).post_json(url, {"person": stranger.pk})
    assert response.status_code == 400 and "person" in response.json()
    assert token_client(world.colleague).post_json(url, {"person": person.pk}).status_code == 403
    assert token_client(world.outsider).post_json(url, {"person": person.pk}).status_code == 404
    response = token_client(world.owner).post_json(url, {"person": person.pk})
    assert response.status_code == 200 and response.json()["person"] == person.pk
    again = token_client(world.owner).post_json(url, {"person": person.pk})
    assert again.status_code == 400
    assert "déjà rattaché" in str(again.json())

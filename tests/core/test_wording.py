"""What a newcomer reads: no « --------- » in a select, « d'Inès » rather than « de Inès »,
fields that apply only to one choice say so, an icon instead of a 404."""

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.core.text import of
from tests.people.factories import PersonFactory
from tests.support.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Lucas", "de Lucas"),
        ("Inès", "d'Inès"),
        ("ÉLODIE Martin", "d'ÉLODIE Martin"),
        ("Yanis", "d'Yanis"),
        ("Hugo", "de Hugo"),
        ("", "de "),
    ],
)
def test_de_is_elided_before_a_vowel(name, expected):
    assert of(name) == expected


def test_selects_name_their_empty_choice(world):
    client = Client()
    client.force_login(world.owner)
    page = client.get(reverse("people:person_create")).text
    assert "---------" not in page
    assert ">Aucun·e</option>" in page  # situation and housing situation are optional


def test_a_person_named_with_a_vowel_reads_well(world):
    client = Client()
    client.force_login(world.owner)
    person = PersonFactory(organization=world.org, last_name="Arnaud", first_name="Inès")
    page = client.get(reverse("people:person_update", args=[person.pk])).text
    heading = page[page.index("<h1") : page.index("</h1>")]
    assert heading.endswith("Modifier la fiche d&#x27;Inès ARNAUD"), heading


def test_the_exit_fields_show_only_for_a_closing(world):
    client = Client()
    client.force_login(world.owner)
    enrollment = EnrollmentFactory(organization=world.org, referent=world.owner)
    page = client.get(reverse("support:enrollment_detail", args=[enrollment.pk])).text
    assert 'data-show-when="action=close"' in page
    assert page.count('data-show-when="action=close"') == 2  # situation at exit, ready for housing


def test_the_favicon_is_served_instead_of_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("ancrage/favicon.svg")

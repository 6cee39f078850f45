"""The person picker shows names and birth dates, never an internal number, unless two files
carry the same name and birth date."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.people.queries import person_label, resolve_person
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

BORN = datetime.date(2005, 6, 11)


def suggestions(user, query: str) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("people:person_suggest"), {"q": query}).text


def test_a_suggestion_is_a_name_and_a_birth_date(world):
    maelys = PersonFactory(
        organization=world.org, last_name="Blanc", first_name="Maëlys", birth_date=BORN
    )
    text = suggestions(world.owner, "maelys")
    assert "BLANC Maëlys (11/06/2005)" in text and f"[{maelys.pk}]" not in text
    assert resolve_person(world.owner, world.org, "BLANC Maëlys (11/06/2005)") == maelys
    assert resolve_person(world.owner, world.org, "blanc maelys") == maelys


def test_namesakes_are_told_apart_by_birth_date_then_by_file_number(world):
    younger = PersonFactory(
        organization=world.org, last_name="Martin", first_name="Léa", birth_date=BORN
    )
    twin = PersonFactory(
        organization=world.org, last_name="Martin", first_name="Léa", birth_date=BORN
    )
    elder = PersonFactory(
        organization=world.org,
        last_name="Martin",
        first_name="Léa",
        birth_date=datetime.date(1990, 1, 2),
    )
    assert resolve_person(world.owner, world.org, person_label(elder)) == elder
    # Same name, same birth date: only the file number tells them apart.
    assert resolve_person(world.owner, world.org, person_label(younger)) is None
    text = suggestions(world.owner, "lea martin")
    assert f"MARTIN Léa (11/06/2005) — fiche n° {younger.pk}" in text
    label = f"MARTIN Léa (11/06/2005) — fiche n° {twin.pk}"
    assert label in text and resolve_person(world.owner, world.org, label) == twin
    assert resolve_person(world.owner, world.org, "MARTIN Léa") is None  # three files


def test_a_file_number_of_another_organization_designates_no_one(world):
    theirs = PersonFactory(organization=world.other_org, last_name="Ailleurs")
    assert resolve_person(world.owner, world.org, f"AILLEURS x — fiche n° {theirs.pk}") is None
    assert resolve_person(world.owner, world.org, f"AILLEURS x [{theirs.pk}]") is None
    assert resolve_person(world.owner, world.org, "x — fiche n° abc") is None

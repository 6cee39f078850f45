"""Services take each field as a keyword: a misspelt field fails loudly instead of being dropped."""

import pytest

from ancrage.core.assign import UNSET, assign, given
from ancrage.people import services as people
from ancrage.people.models import Person
from ancrage.support import services as support
from ancrage.support.models import Contact
from tests.people.factories import PersonFactory


def test_a_misspelt_field_is_an_error_and_nothing_is_written(world):
    with pytest.raises(TypeError, match="birthdate"):
        people.create_person(
            organization=world.org,
            actor=world.owner,
            last_name="Martin",
            first_name="Élodie",
            birthdate="2004-05-01",  # the field is birth_date
        )
    with pytest.raises(TypeError, match="canal"):
        support.record_contact(
            organization=world.org,
            actor=world.owner,
            canal="phone",
            channel="phone",
            subjects=["housing"],
            outcome="informed",
        )
    assert not Person.objects.exists() and not Contact.objects.exists()


def test_an_update_changes_the_fields_given_and_keeps_the_others(world):
    person = PersonFactory(organization=world.org, phone="0601020304", email="a@exemple.fr")
    people.update_person(person=person, actor=world.owner, email="  b@exemple.fr ")
    person.refresh_from_db()
    assert (person.email, person.phone) == ("b@exemple.fr", "+33601020304")


def test_unset_is_left_out_and_strings_are_stripped():
    assert given({"a": 1, "b": UNSET, "c": None}) == {"a": 1, "c": None}
    person = Person(first_name="x", last_name="y")
    assign(person, first_name="  Anaïs ", last_name=UNSET)
    assert (person.first_name, person.last_name) == ("Anaïs", "y")

"""Bad input gets a French message naming the field or the line, never a 500, and nothing is written
(issue 15, gap 5): each case below answered 500 or was accepted before."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ancrage.housing.models import Payment, SchoolCalendar
from ancrage.people.models import Person
from ancrage.support.models import Contact
from tests.people.factories import PersonFactory
from tests.support.test_contacts import contact_data

pytestmark = pytest.mark.django_db


def _ics(*events: str) -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{i}@cfa\r\nDTSTAMP:20260601T000000Z\r\nSUMMARY:Période {i}\r\n"
        f"{event}END:VEVENT\r\n"
        for i, event in enumerate(events, start=1)
    )
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//CFA//FR\r\n{body}END:VCALENDAR\r\n".encode()
    )


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [
        ("cfa.csv", b"debut;fin\n2026-09-07;9999-12-31\n", "Ligne 2 : date hors de la période"),
        ("cfa.csv", b"debut\n07/09/2026\n\x81\x8d\xff\n", "Encodage du fichier non reconnu"),
        (
            "cfa.csv",
            b"debut\n" + b"x" * 400_000 + b"\n",
            "Ligne 2 : ligne illisible ou trop longue",
        ),
        ("cfa.csv", b"debut\n0001-01-01\n", "Ligne 2 : date hors de la période"),
        (
            "cfa.ics",
            _ics("DTSTART;VALUE=DATE:99991201\r\nDTEND;VALUE=DATE:99991231\r\n"),
            "Événement 1 (« Période 1 ») : date hors de la période",
        ),
        ("cfa.ics", _ics("DTSTART:hello\r\n"), "Événement 1 (« Période 1 ») : date illisible"),
        (
            "cfa.ics",
            _ics("DTSTART;VALUE=DATE:20260918\r\nDTEND;VALUE=DATE:20260907\r\n"),
            "la fin précède le début",
        ),
        ("cfa.ics", b"\x00\x01 pas un calendrier", "Fichier iCal illisible"),
    ],
)
def test_a_malformed_school_calendar_is_refused_with_its_line(
    client, world, filename, content, expected
):
    client.force_login(world.owner)
    response = client.post(
        reverse("housing:calendar_list"),
        {"name": "BTS", "file": SimpleUploadedFile(filename, content, "text/plain")},
    )
    assert response.status_code == 400
    assert expected in response.text
    assert not SchoolCalendar.objects.exists()


@pytest.mark.parametrize("paid_on", ["0001-01-01", "1899-12-31"])
def test_a_payment_dated_before_1900_is_refused(client, world, paid_on):
    person = PersonFactory(organization=world.org)
    client.force_login(world.owner)
    response = client.post(
        reverse("housing:payment_add", args=[person.pk]),
        {"amount": "30", "paid_on": paid_on, "method": "transfer"},
    )
    assert response.status_code in (302, 400)
    assert not Payment.objects.exists()
    page = (
        client.get(reverse("housing:account", args=[person.pk]))
        if response.status_code == 302
        else response
    )
    assert "Date du paiement : une date entre le 01/01/1900" in page.text


@pytest.mark.parametrize("when", ["0001-01-01T10:00", "9999-12-31T10:00"])
def test_a_contact_dated_out_of_range_is_refused(client, world, when):
    client.force_login(world.owner)
    response = client.post(reverse("support:contact_create"), contact_data(occurred_at=when))
    assert response.status_code == 400
    assert "Date du contact : une date entre le 01/01/1900" in response.text
    assert not Contact.objects.exists()


@pytest.mark.parametrize("field", ["person", "commune"])
def test_a_huge_text_in_a_picker_is_a_message_not_a_500(client, world, field):
    client.force_login(world.owner)
    data = contact_data(counterpart="person" if field == "person" else "anonymous")
    data[field] = "a" * 100_000
    response = client.post(reverse("support:contact_create"), data)
    assert response.status_code == 400
    assert not Contact.objects.exists()
    assert client.get(reverse("people:person_suggest"), {"q": "a" * 100_000}).status_code == 200
    assert client.get(reverse("core:commune_search"), {"q": "a" * 100_000}).status_code == 200


def test_a_name_with_a_direction_override_is_refused(client, world):
    client.force_login(world.owner)
    response = client.post(
        reverse("people:person_create"),
        {
            "last_name": "Martin\u202eeniL",
            "first_name": "Élodie",
            "birth_date": "2004-05-01",
            "resources-TOTAL_FORMS": "0",
            "resources-INITIAL_FORMS": "0",
            "household-TOTAL_FORMS": "0",
            "household-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code in (200, 400)
    assert "contrôle de direction" in response.text
    assert not Person.objects.exists()

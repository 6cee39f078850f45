import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ancrage.housing import services
from ancrage.housing.models import Rhythm, SchoolCalendar
from tests.housing.factories import BedFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date

CSV = "début;fin\n2026-09-07;2026-09-18\n05/10/2026\n2026-11-02;2026-11-06\n".encode()
ICS = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//CFA//FR
BEGIN:VEVENT
UID:1@cfa
DTSTAMP:20260601T000000Z
SUMMARY:Regroupement 1
DTSTART;VALUE=DATE:20260907
DTEND;VALUE=DATE:20260919
END:VEVENT
BEGIN:VEVENT
UID:2@cfa
DTSTAMP:20260601T000000Z
SUMMARY:Regroupement 2
DTSTART:20261005T083000
DTEND:20261009T170000
END:VEVENT
END:VCALENDAR
"""


def imported(world, filename, content, name="BTS MCO 2026-2027"):
    return services.import_school_calendar(
        organization=world.org, name=name, filename=filename, content=content, actor=world.owner
    )


def test_a_csv_gives_every_week_its_periods_touch(world):
    calendar = imported(world, "cfa.csv", CSV)
    assert calendar.weeks == ["2026-09-07", "2026-09-14", "2026-10-05", "2026-11-02"]


def test_an_ical_gives_the_weeks_of_its_events_end_excluded(world):
    calendar = imported(world, "cfa.ics", ICS)
    assert calendar.weeks == ["2026-09-07", "2026-09-14", "2026-10-05"]


def test_a_bad_csv_names_its_lines_and_saves_nothing(world):
    content = b"2026-09-07;2026-09-18\n2026-13-01\n2026-10-10;2026-10-01\n"
    with pytest.raises(ValidationError) as exc:
        imported(world, "cfa.csv", content)
    messages = exc.value.message_dict["file"]
    assert messages == [
        "Ligne 2 : « 2026-13-01 » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA).",
        "Ligne 3 : la fin précède le début.",
    ]
    assert not SchoolCalendar.objects.exists()


def test_a_rhythm_on_an_imported_calendar_books_its_school_weeks(world):
    calendar = imported(world, "cfa.csv", CSV)
    person = PersonFactory(organization=world.org)
    rhythm = services.create_rhythm(
        person=person,
        name="BTS",
        template="calendar",
        first_school_week=D(2026, 9, 1),
        ends_on=D(2027, 6, 30),
        calendar=calendar,
        actor=world.owner,
    )
    booking = services.book_rhythm(
        person=person,
        bed=BedFactory(unit__residence__organization=world.org),
        rhythm=rhythm,
        start=D(2026, 9, 1),
        end=D(2027, 6, 30),
        actor=world.owner,
    )
    assert list(booking.periods.values_list("starts_on", "ends_on")) == [
        (D(2026, 9, 7), D(2026, 9, 21)),
        (D(2026, 10, 5), D(2026, 10, 12)),
        (D(2026, 11, 2), D(2026, 11, 9)),
    ]


def test_the_import_page(client, world):
    client.force_login(world.owner)
    url = reverse("housing:calendar_list")
    response = client.post(
        url, {"name": "CAP cuisine", "file": SimpleUploadedFile("cap.csv", CSV, "text/csv")}
    )
    assert response.status_code == 302
    page = client.get(url)
    assert "4 semaines à l" in page.text
    bad = client.post(
        url, {"name": "Autre", "file": SimpleUploadedFile("cap.pdf", b"%PDF", "application/pdf")}
    )
    assert bad.status_code == 400
    assert "Fichier .csv ou .ics attendu." in bad.text
    client.force_login(world.outsider)
    assert "CAP cuisine" not in client.get(url).text


def test_the_api_lists_a_schools_calendars_and_a_rhythm_follows_one(world):
    from tests.accounts.factories import OrganizationFactory
    from tests.api.clients import token_client

    school = OrganizationFactory(name="CFA du Forez", kind="school")
    calendar = services.import_school_calendar(
        organization=world.org,
        name="CAP 1re année",
        school=school,
        filename="c.csv",
        content=CSV,
        actor=world.owner,
    )
    imported(world, "other.csv", CSV, name="Autre classe")
    api = token_client(world.owner)
    listed = api.get("/api/v1/school-calendars/", {"school": school.pk}).json()["results"]
    assert [(c["name"], c["weeks"][0]) for c in listed] == [("CAP 1re année", "2026-09-07")]
    assert (
        token_client(world.outsider).get(f"/api/v1/school-calendars/{calendar.pk}/").status_code
        == 404
    )
    assert api.get("/api/v1/school-calendars/", {"school": "x"}).status_code == 400

    person = PersonFactory(organization=world.org)
    body = {
        "person": person.pk,
        "name": "CAP 2026-2028",
        "template": "calendar",
        "first_school_week": "2026-09-07",
        "ends_on": "2027-06-30",
    }
    foreign = services.import_school_calendar(
        organization=world.other_org,
        name="Ailleurs",
        filename="c.csv",
        content=CSV,
        actor=world.outsider,
    )
    refused = api.post_json("/api/v1/rhythms/", body | {"calendar": foreign.pk})
    assert refused.status_code == 400 and "calendar" in refused.json()
    missing = api.post_json("/api/v1/rhythms/", body)
    assert missing.status_code == 400 and "calendrier" in str(missing.json()["calendar"])
    made = api.post_json("/api/v1/rhythms/", body | {"calendar": calendar.pk})
    assert made.status_code == 201
    assert made.json()["school_weeks"] == calendar.weeks
    assert Rhythm.objects.count() == 1  # the refused ones wrote nothing

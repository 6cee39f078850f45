"""The persons list: filters and sort kept in the address, and an export that holds exactly the
rows on screen (audited)."""

from __future__ import annotations

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from ancrage.audit.models import AuditEvent
from tests.clients import client_of
from tests.core.factories import TerritoryFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def people(world):
    arras = TerritoryFactory(code="62041", name="Arras")
    lens = TerritoryFactory(code="62498", name="Lens")
    make = PersonFactory
    return {
        "ines": make(
            organization=world.org,
            last_name="Roux",
            first_name="Inès",
            situation="apprentice",
            commune=arras,
            birth_date=datetime.date(2006, 3, 1),
        ),
        "lucas": make(
            organization=world.org,
            last_name="Bernard",
            first_name="Lucas",
            situation="apprentice",
            commune=arras,
            birth_date=datetime.date(2001, 6, 1),
        ),
        "zoe": make(
            organization=world.org,
            last_name="Petit",
            first_name="Zoé",
            situation="student",
            commune=lens,
            birth_date=datetime.date(2007, 1, 1),
        ),
        "other": make(
            organization=world.other_org,
            last_name="Ailleurs",
            first_name="Nina",
            situation="apprentice",
            commune=arras,
        ),
    }


def names_on_screen(html: str) -> list[str]:
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    names = []
    for chunk in body.split('<td><a href="/personnes/')[1:]:
        names.append(chunk.split(">", 1)[1].split("</a>", 1)[0])
    return names


def test_a_filtered_export_to_xlsx_has_exactly_the_rows_on_screen(world, people):
    client = client_of(world.owner)
    filters = {"situation": "apprentice", "commune": "62041", "tri": "-age"}
    screen = names_on_screen(client.get(reverse("people:person_list"), filters).text)
    assert screen == ["BERNARD Lucas", "ROUX Inès"]  # by age, reversed: the eldest first
    response = client.get(reverse("people:person_list"), {**filters, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="personnes-2026-11-25.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Nom", "Âge", "Téléphone", "Commune", "Situation")
    assert [row[0] for row in rows[1:]] == screen
    assert rows[1][3] == "Arras" and rows[1][4] == "Apprenti·e"
    assert rows[1][5].date() == datetime.date(2001, 6, 1)  # the birth date, a date in the sheet
    # The export is in the trail: who took which files.
    event = AuditEvent.objects.filter(object_repr="export xlsx de 2").get()
    assert event.actor_id == world.owner.pk
    assert sorted(event.changes["ids"]) == sorted([str(people["ines"].pk), str(people["lucas"].pk)])


def test_the_csv_export_reads_in_a_french_spreadsheet(world, people):
    response = client_of(world.owner).get(
        reverse("people:person_list"), {"q": "zoe", "export": "csv"}
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Nom"
    assert rows[1][0] == "PETIT Zoé" and rows[1][5] == "01/01/2007"
    assert len(rows) == 2


def test_a_name_that_looks_like_a_formula_stays_text_in_the_export(world):
    PersonFactory(organization=world.org, last_name="=HYPERLINK(1)", first_name="x")
    response = client_of(world.owner).get(reverse("people:person_list"), {"export": "csv"})
    assert "'=HYPERLINK(1) x" in response.content.decode("utf-8-sig")


def test_filters_by_age_and_sorts_by_commune(world, people):
    client = client_of(world.owner)
    page = client.get(reverse("people:person_list"), {"age_min": 20, "age_max": 24}).text
    assert names_on_screen(page) == ["ROUX Inès"]  # 20 on 25 November 2026; Lucas is 25
    page = client.get(reverse("people:person_list"), {"age_max": 19}).text
    assert names_on_screen(page) == ["PETIT Zoé"]
    page = client.get(reverse("people:person_list"), {"tri": "-commune"}).text
    assert names_on_screen(page)[0] == "PETIT Zoé"  # Lens after Arras, reversed
    assert 'aria-sort="descending"' in page


def test_bad_filters_are_named_in_french_and_list_nothing(world, people):
    client = client_of(world.owner)
    response = client.get(reverse("people:person_list"), {"age_min": 30, "age_max": 20})
    assert response.status_code == 400
    assert "L&#x27;âge maximum doit être supérieur ou égal à l&#x27;âge minimum." in response.text
    assert "<tbody>" not in response.text
    response = client.get(reverse("people:person_list"), {"situation": "astronaut"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.text
    # An export of a bad filter exports nothing: the page says what to fix.
    response = client.get(reverse("people:person_list"), {"age_min": "-3", "export": "xlsx"})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")


def test_an_unknown_sort_falls_back_to_the_name(world, people):
    page = client_of(world.owner).get(reverse("people:person_list"), {"tri": "password"}).text
    assert names_on_screen(page) == ["BERNARD Lucas", "PETIT Zoé", "ROUX Inès"]


@pytest.mark.parametrize(
    ("persona", "status"), [("owner", 200), ("colleague", 200), ("outsider", 200)]
)
def test_each_member_exports_only_their_organization(world, people, persona, status):
    response = client_of(getattr(world, persona)).get(
        reverse("people:person_list"), {"export": "csv"}
    )
    assert response.status_code == status
    text = response.content.decode("utf-8-sig")
    if persona == "outsider":
        assert "AILLEURS Nina" in text and "ROUX" not in text
    else:
        assert "ROUX Inès" in text and "Ailleurs" not in text.title()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("people:person_list"), {"export": "csv"})
    assert response.status_code == 302 and "/compte/login/" in response["Location"]


def test_the_export_keeps_a_constant_number_of_queries(world, count_queries):
    client = client_of(world.owner)
    arras = TerritoryFactory(code="62041", name="Arras")
    PersonFactory(organization=world.org, commune=arras)
    url = reverse("people:person_list")
    client.get(url)
    few = count_queries(lambda: client.get(url, {"export": "xlsx"}))
    PersonFactory.create_batch(30, organization=world.org, commune=arras)
    assert count_queries(lambda: client.get(url, {"export": "xlsx"})) == few

"""The import engine: every line through the services, a report naming line, column and reason,
all or nothing or valid lines only, and a second import that creates nothing."""

from __future__ import annotations

import pytest

from ancrage.activities.models import Attendance, Session
from ancrage.core.tabular import ReadError, read
from ancrage.imports import engine
from ancrage.imports.engine import kind_of
from ancrage.people.models import Person
from ancrage.support.models import Contact, Enrollment, Exit
from tests.core.factories import TerritoryFactory
from tests.imports.files import CONTACTS, PERSONS, YEAR, csv_bytes, xlsx


@pytest.fixture(autouse=True)
def lens(db):
    TerritoryFactory(code="62498", name="Lens")


def _run(world, data: bytes, name: str = "reprise.xlsx", *, mode="all", dry_run=False, kind=None):
    tables = read(data, name)
    named = [(kind or kind_of(t.name), t) for t in tables]
    return engine.run(
        organization=world.org, actor=world.owner, tables=named, mode=mode, dry_run=dry_run
    )


def _counts():
    return (
        Person.objects.count(),
        Contact.objects.count(),
        Enrollment.objects.count(),
        Exit.objects.count(),
        Session.objects.count(),
        Attendance.objects.count(),
    )


def test_a_year_from_a_workbook_then_the_same_again(world):
    result = _run(world, xlsx(YEAR))
    assert result.problems == []
    assert result.written
    assert _counts() == (3, 4, 2, 1, 1, 2)
    e1 = Enrollment.objects.get(external_ref="E1")
    assert (str(e1.requested_on), str(e1.started_on), str(e1.ended_on), e1.status) == (
        "2025-01-08",
        "2025-02-01",
        "2025-06-30",
        "exited",
    )
    assert Person.objects.get(external_ref="P1").situation == "student"
    assert Session.objects.get().anonymous_count == 3
    again = _run(world, xlsx(YEAR))
    assert again.problems == []
    assert _counts() == (3, 4, 2, 1, 1, 2)
    assert all(sheet["created"] == 0 for sheet in again.counts.values())


def test_a_dry_run_writes_nothing(world):
    result = _run(world, xlsx(YEAR), dry_run=True)
    assert result.problems == [] and not result.written
    assert result.counts["personnes"]["created"] == 3
    assert _counts() == (0, 0, 0, 0, 0, 0)


BAD_CONTACTS = [
    *CONTACTS,
    ["C5", "31/02/2025", "phone", "logement", "information", "", ""],
    ["C6", "06/01/2099 10:00", "phone", "logement", "information", "", ""],
    ["C7", "06/01/2025 10:00", "pigeon", "logement", "information", "", ""],
    ["C8", "06/01/2025 10:00", "phone", "logement", "information", "P9", ""],
]


@pytest.mark.parametrize("mode, written", [("all", (0, 0)), ("valid", (3, 4))])
def test_bad_lines_are_reported_and_the_mode_decides(world, mode, written):
    result = _run(world, xlsx({"Personnes": PERSONS, "Contacts": BAD_CONTACTS}), mode=mode)
    assert [(p.sheet, p.line, p.column) for p in result.problems] == [
        ("Contacts", 6, "date"),
        ("Contacts", 7, "date"),
        ("Contacts", 8, "canal"),
        ("Contacts", 9, "personne"),
    ]
    messages = [p.message for p in result.problems]
    assert "Date illisible" in messages[0]
    assert "une date entre le 01/01/1900 et le" in messages[1]
    assert "pigeon" in messages[2]
    assert "P9" in messages[3]
    assert (Person.objects.count(), Contact.objects.count()) == written


def test_a_windows_csv_of_contacts(world):
    data = csv_bytes(
        [
            ["ref", "date", "canal", "sujets", "resultat", "tranche_age"],
            ["C1", "06/01/2025 09:30", "Téléphone", "Logement", "Information", "18–20 ans"],
        ],
        encoding="cp1252",
    )
    result = _run(world, data, "contacts.csv", kind="contacts")
    assert result.problems == []
    assert Contact.objects.get().channel == "phone"


def test_a_missing_required_column_refuses_the_sheet(world):
    rows = [[c for i, c in enumerate(r) if i != 2] for r in PERSONS]  # no first name
    result = _run(world, xlsx({"Personnes": rows}), mode="valid")
    assert [(p.line, p.column) for p in result.problems] == [(1, "prenom")]
    assert result.counts["personnes"]["refused"] == 3
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "vide.csv", "vide"),
        (b"\x00\x01\x02" * 100, "binaire.csv", "pas un CSV"),
        (b"PK\x03\x04garbage" * 10, "faux.xlsx", "illisible"),
        (b"x" * (10 * 1024 * 1024 + 1), "gros.csv", "10 Mo"),
    ],
)
def test_unreadable_files_get_a_french_message(data, name, message):
    with pytest.raises(ReadError, match=message):
        read(data, name)


def test_the_same_year_imported_twice_gives_the_same_figures(world):
    from ancrage.indicators.definitions import CLLAJ_SIX
    from ancrage.indicators.models import Aggregate
    from ancrage.indicators.rollup import refresh_stale

    def figures():
        refresh_stale()
        rows = Aggregate.objects.filter(
            indicator__in=CLLAJ_SIX, grain="year", organization=world.org, category=""
        )
        return {row.indicator: row.value for row in rows if row.period.year == 2025}

    _run(world, xlsx(YEAR))
    first = figures()
    assert first["contacts_telephone_mail"] == 2
    assert first["personnes_recues"] == 2
    assert first["acces_logement"] == 1
    assert first["participants_actions"] == 5
    _run(world, xlsx(YEAR))
    assert figures() == first
    assert _counts() == (3, 4, 2, 1, 1, 2)


def test_a_changed_file_updates_people_and_refuses_look_alikes(world):
    _run(world, xlsx({"Personnes": PERSONS}))
    changed = [row[:] for row in PERSONS]
    changed[2][5] = "job_seeker"  # Yanis found a job… search
    changed.append(["P7", "DURAND", "Elodie", "12/03/2003", "", ""])  # Élodie again, new ref
    changed.append(["P8", "Marchand", "Léa", "01/02/2003", "", ""])
    changed.append(["P8", "Marchand", "Léa", "01/02/2003", "", ""])  # the same line twice
    result = _run(world, xlsx({"Personnes": changed}), mode="valid")
    assert result.counts["personnes"] == {"created": 1, "updated": 1, "unchanged": 2, "refused": 2}
    assert [(p.line, p.column) for p in result.problems] == [(5, "nom"), (7, "ref")]
    assert Person.objects.get(external_ref="P2").situation == "job_seeker"
    assert Person.objects.filter(external_ref__in=["P7", "P8"]).count() == 1

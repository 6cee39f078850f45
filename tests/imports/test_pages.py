"""The import pages and ``ancrage import``, as a coordinator would use them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from ancrage.imports.models import ColumnMapping, ImportJob
from ancrage.people.models import Person
from ancrage.support.models import Contact
from tests.core.factories import TerritoryFactory
from tests.imports.files import CONTACTS, PERSONS, YEAR, csv_bytes, xlsx

BAD_PERSONS = [
    *PERSONS,
    ["P4", "", "Sans nom", "01/01/2000", "", ""],
    ["P5", "Lune", "Zoé", "32/01/2000", "", ""],
    ["P6", "Soleil", "Léo", "01/01/2000", "99999", ""],
]


@pytest.fixture(autouse=True)
def lens(db):
    TerritoryFactory(code="62498", name="Lens")


@pytest.fixture
def owner_client(client, world):
    client.force_login(world.owner)
    return client


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """The import task is queued once the sending commits: run it then, as the worker would."""

    def post(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


@pytest.fixture
def send(on_commit):
    def post_file(client, data: bytes, name: str, **fields):
        upload = SimpleUploadedFile(name, data)
        return on_commit(client, "/reprise/", {"file": upload, "mode": "all", **fields})

    return post_file


def test_check_then_import_the_valid_lines(owner_client, world, send, on_commit):
    response = send(owner_client, xlsx({"Personnes": BAD_PERSONS}), "reprise.xlsx", dry_run="on")
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = owner_client.get(response["Location"]).content.decode()
    assert "Vérification terminée : rien n'a été écrit. 3 lignes refusées" in page
    for line, column in (("5", "nom"), ("6", "date_naissance"), ("7", "commune")):
        assert (
            f'ligne <span class="ligne">{line}</span></strong> · colonne <code>{column}</code>'
            in page
        )
    assert not Person.objects.exists()
    report = owner_client.get(f"/reprise/{job.pk}/rapport.csv")
    assert report["Content-Type"].startswith("text/csv")
    assert report.content.decode("utf-8-sig").splitlines()[0] == "feuille;ligne;colonne;motif"
    assert len(report.content.decode("utf-8-sig").splitlines()) == 4
    confirmed = on_commit(owner_client, f"/reprise/{job.pk}/importer/", {"mode": "valid"})
    assert confirmed.status_code == 302
    assert sorted(Person.objects.values_list("external_ref", flat=True)) == ["P1", "P2", "P3"]
    imported = ImportJob.objects.exclude(pk=job.pk).get()
    assert (imported.written, bytes(imported.data)) == (True, b"")


def test_all_or_nothing_writes_nothing_and_says_so(owner_client, send):
    response = send(owner_client, xlsx({"Personnes": BAD_PERSONS}), "reprise.xlsx")
    page = owner_client.get(response["Location"]).content.decode()
    assert "Rien n'a été écrit : 3 lignes refusées en mode tout ou rien" in page
    assert not Person.objects.exists()


def test_an_unreadable_file_is_refused_on_the_form(owner_client, send):
    response = send(owner_client, b"\x00\x01garbage" * 50, "donnees.csv", kind="contacts")
    assert response.status_code == 400
    assert "pas un CSV" in response.content.decode()
    unknown = send(owner_client, xlsx({"Feuil1": PERSONS}), "reprise.xlsx")
    assert unknown.status_code == 400 and "Feuil1" in unknown.content.decode()
    assert not ImportJob.objects.exists()


def test_a_csv_needs_its_kind(owner_client, send):
    response = send(owner_client, csv_bytes(CONTACTS), "export.csv")
    assert response.status_code == 400 and "Dites ce que contient" in response.content.decode()
    anonymous = CONTACTS[:3]  # the two anonymous calls (the others name people not imported)
    assert (
        send(owner_client, csv_bytes(anonymous), "export.csv", kind="contacts").status_code == 302
    )
    assert Contact.objects.count() == 2


def test_the_mapping_is_used_by_the_next_import(owner_client, world, send):
    response = owner_client.post("/reprise/correspondance/personnes/", {"nom": "NOM_USAGE"})
    assert response.status_code == 302
    assert ColumnMapping.objects.get().columns == {"nom": "NOM_USAGE"}
    rows = [["NOM_USAGE" if c == "nom" else c for c in PERSONS[0]], *PERSONS[1:]]
    send(owner_client, xlsx({"Personnes": rows}), "reprise.xlsx")
    assert Person.objects.count() == 3


def test_a_read_only_member_cannot_import(client, world, send):
    client.force_login(world.colleague)
    response = send(client, xlsx({"Personnes": PERSONS}), "reprise.xlsx")
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_the_template_workbook_has_a_sheet_per_kind(owner_client):
    from io import BytesIO

    from openpyxl import load_workbook

    response = owner_client.get("/reprise/modele.xlsx")
    sheets = load_workbook(BytesIO(response.content)).sheetnames
    assert sheets[:3] == ["Personnes", "Actions collectives", "Contacts"]


def test_the_command_imports_and_reports(tmp_path, world, capsys):
    path = tmp_path / "annee.xlsx"
    path.write_bytes(xlsx(YEAR))
    call_command(
        "import_records",
        str(path),
        "--structure",
        str(world.org.pk),
        "--utilisateur",
        world.owner.email,
    )
    out = capsys.readouterr().out
    assert "Personnes : 3 créé(s)" in out and "Import écrit." in out
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx({"Personnes": BAD_PERSONS}))
    report = tmp_path / "rapport.csv"
    with pytest.raises(CommandError, match="3 ligne"):
        call_command(
            "import_records",
            str(bad),
            "--structure",
            str(world.org.pk),
            "--utilisateur",
            world.owner.email,
            "--rapport",
            str(report),
        )
    assert len(report.read_text(encoding="utf-8").splitlines()) == 4
    assert Person.objects.count() == 3


def test_old_files_and_reports_are_forgotten(world):
    import datetime

    from django.utils import timezone

    from ancrage.imports.services import forget_old_imports

    def job(days_ago: int, data: bytes) -> ImportJob:
        created = ImportJob.objects.create(
            organization=world.org, created_by=world.owner, filename="f.xlsx", mode="all", data=data
        )
        ImportJob.objects.filter(pk=created.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
        return created

    fresh, week_old, old = job(1, b"x"), job(8, b"y"), job(91, b"")
    assert forget_old_imports() == {"files": 1, "jobs": 1}
    assert bytes(ImportJob.objects.get(pk=fresh.pk).data) == b"x"
    assert bytes(ImportJob.objects.get(pk=week_old.pk).data) == b""
    assert not ImportJob.objects.filter(pk=old.pk).exists()

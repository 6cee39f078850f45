"""Documents on a person's file: PDF, PNG or JPEG of 10 MB at most, recognised by their first
bytes; kept outside the web root; handed out only to the team, each download in the trail;
deleted with the file's personal data."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ancrage.audit.models import AuditEvent
from ancrage.core import documents
from ancrage.people import services
from ancrage.people.models import PersonDocument
from ancrage.privacy import retention
from ancrage.privacy.export import export_archive
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.api.clients import token_client
from tests.clients import client_of
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(content: bytes = PDF, name: str = "bulletin.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files() -> list[str]:
    root = settings.ANCRAGE_DOCUMENTS_DIR
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def person(world):
    return PersonFactory(organization=world.org, last_name="Roux", first_name="Inès")


def test_a_payslip_deposited_then_downloaded_by_the_team(world, person):
    client = client_of(world.owner)
    before = stored_files()
    response = client.post(
        reverse("people:document_add", args=[person.pk]),
        {"kind": "payslip", "title": "Bulletin de septembre", "file": upload()},
        follow=True,
    )
    assert "Document ajouté : Bulletin de septembre." in response.text
    document = PersonDocument.objects.get()
    assert (document.content_type, document.size) == ("application/pdf", len(PDF))
    # Stored under a random name in the organization's folder, never the user's file name.
    new = sorted(set(stored_files()) - set(before))
    assert new == [document.file.name] and new[0].startswith(f"{world.org.pk}/")
    assert "bulletin" not in new[0] and "Roux" not in new[0]
    assert not str(settings.ANCRAGE_DOCUMENTS_DIR).startswith(str(settings.STATIC_ROOT))
    assert not str(settings.ANCRAGE_DOCUMENTS_DIR).startswith(str(settings.MEDIA_ROOT))
    page = client.get(reverse("people:person_detail", args=[person.pk]))
    assert "Bulletin de septembre" in page.text and "PDF" in page.text
    url = reverse("people:document_download", args=[person.pk, document.pk])
    for reader in (world.owner, world.colleague):
        got = client_of(reader).get(url)
        assert got.status_code == 200
        assert got.content == PDF
        assert got["Content-Disposition"].startswith("attachment")
        assert "roux" not in got["Content-Disposition"].lower()
        assert got["Cache-Control"] == "private, no-store"
    reads = AuditEvent.objects.filter(
        action="view", content_type__model="persondocument", object_id=str(document.pk)
    )
    assert reads.count() == 2


def test_outsiders_and_anonymous_get_nothing(world, person):
    document = services.add_document(
        person=person, kind="identity", upload=upload(), actor=world.owner
    )
    url = reverse("people:document_download", args=[person.pk, document.pk])
    assert client_of(world.outsider).get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/compte/login/" in anonymous["Location"]
    other = PersonFactory(organization=world.org)
    wrong_person = reverse("people:document_download", args=[other.pk, document.pk])
    assert client_of(world.owner).get(wrong_person).status_code == 404
    delete = reverse("people:document_delete", args=[person.pk, document.pk])
    assert client_of(world.colleague).post(delete).status_code == 403  # read-only role
    assert client_of(world.outsider).post(delete).status_code == 404
    assert PersonDocument.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 an executable", "bulletin.pdf", "Format refusé"),
        (b"<html><script>alert(1)</script>", "photo.png", "Format refusé"),
        (b"", "vide.pdf", "est vide."),
    ],
)
def test_a_file_that_is_not_a_pdf_or_an_image_is_refused(world, person, content, name, message):
    before = stored_files()
    response = client_of(world.owner).post(
        reverse("people:document_add", args=[person.pk]),
        {"kind": "payslip", "file": upload(content, name)},
    )
    assert response.status_code == 400
    assert message in response.text
    assert not PersonDocument.objects.exists() and stored_files() == before


def test_a_file_over_ten_megabytes_is_refused(world, person, settings):
    settings.ANCRAGE_DOCUMENT_MAX_BYTES = 1000
    response = client_of(world.owner).post(
        reverse("people:document_add", args=[person.pk]),
        {"kind": "payslip", "file": upload(PDF + b"x" * 2000)},
    )
    assert response.status_code == 400 and "Fichier trop volumineux" in response.text
    assert not PersonDocument.objects.exists()


def test_a_missing_type_or_file_is_named(world, person):
    response = client_of(world.owner).post(reverse("people:document_add", args=[person.pk]), {})
    assert response.status_code == 400
    assert "Choisissez un fichier." in response.text
    assert not PersonDocument.objects.exists()


def test_a_document_removed_by_mistake_leaves_no_file(
    world, person, django_capture_on_commit_callbacks
):
    document = services.add_document(
        person=person, kind="lease", upload=upload(), actor=world.owner
    )
    name = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(world.owner).post(
            reverse("people:document_delete", args=[person.pk, document.pk]), follow=True
        )
    assert "Document supprimé" in response.text
    assert not PersonDocument.objects.exists()
    assert not documents.storage().exists(name)


def test_documents_go_with_the_anonymised_file_and_come_in_the_access_export(
    world, person, django_capture_on_commit_callbacks
):
    document = services.add_document(
        person=person, kind="identity", upload=upload(PNG, "id.png"), actor=world.owner
    )
    name, archive = export_archive(person)
    files = zipfile.ZipFile(io.BytesIO(archive))
    assert f"documents/{document.pk}.png" in files.namelist()
    assert files.read(f"documents/{document.pk}.png") == PNG
    with django_capture_on_commit_callbacks(execute=True):
        retention.anonymise(person, today=person.created_at.date())
    assert not PersonDocument.objects.exists()
    assert not documents.storage().exists(document.file.name)


def test_a_merge_moves_the_documents_to_the_kept_file(world, person):
    duplicate = PersonFactory(organization=world.org, last_name="Roux", first_name="Ines")
    services.add_document(person=duplicate, kind="payslip", upload=upload(), actor=world.owner)
    services.merge_people(kept=person, duplicate=duplicate, actor=world.owner)
    assert list(PersonDocument.objects.values_list("person_id", flat=True)) == [person.pk]


def test_the_api_deposits_lists_downloads_and_deletes(world, person, settings):
    settings.DEMO = True
    counsellor = UserFactory()
    MembershipFactory(user=counsellor, organization=world.org, role="counsellor")
    api = token_client(counsellor)
    refused = api.post(
        "/api/v1/documents/",
        {"person": person.pk, "kind": "payslip", "file": upload(b"GIF89a", "x.gif")},
    )
    assert refused.status_code == 400 and "file" in refused.json()
    foreign = PersonFactory(organization=world.other_org)
    elsewhere = api.post(
        "/api/v1/documents/", {"person": foreign.pk, "kind": "payslip", "file": upload()}
    )
    assert elsewhere.status_code == 400 and "person" in elsewhere.json()
    assert not PersonDocument.objects.exists()
    created = api.post(
        "/api/v1/documents/",
        {"person": person.pk, "kind": "payslip", "title": "Septembre", "file": upload()},
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    listed = api.get("/api/v1/documents/", {"person": person.pk}).json()["results"]
    assert [d["title"] for d in listed] == ["Septembre"]
    got = api.get(f"/api/v1/documents/{pk}/file/")
    assert got.status_code == 200 and got.content == PDF
    outsider = token_client(world.outsider)
    assert outsider.get(f"/api/v1/documents/{pk}/file/").status_code in (403, 404)
    assert api.delete(f"/api/v1/documents/{pk}/").status_code == 204
    assert not PersonDocument.objects.exists()

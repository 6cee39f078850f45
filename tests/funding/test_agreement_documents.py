"""The agreement printed from the version of its template (every name in DejaVu Sans), and the
signed PDF kept with it: the funder attaches it, both parties download it, nothing else."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from ancrage.funding import services
from ancrage.funding.models import Agreement
from tests.api.clients import token_client
from tests.clients import client_of
from tests.funding.conftest import agreement_of

pytestmark = pytest.mark.django_db

SIGNED = b"%PDF-1.4\n% signed by both parties\n%%EOF\n"


@pytest.fixture(autouse=True)
def _documents(settings, tmp_path):
    settings.ANCRAGE_DOCUMENTS_DIR = str(tmp_path / "documents")


def text_of(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_prints_every_name_and_its_template_version(desk):
    desk["cllaj"].name = "Association Łucja & Œuvre Ștefan-Nguyễn"
    desk["cllaj"].save()
    agreement = agreement_of(desk)
    response = client_of(desk["reader"]).get(reverse("funding:agreement_pdf", args=[agreement.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = text_of(response.content)
    assert "Association Łucja & Œuvre Ștefan-Nguyễn" in text
    assert "Modèle de convention version 2026-1" in text
    assert "25\u202f000,00\u00a0€" in text or "25 000,00" in text.replace("\u202f", " ").replace(
        "\u00a0", " "
    )
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVuSans" in name for name in fonts), fonts


def test_the_funder_attaches_the_signed_pdf_and_both_parties_download_it(desk):
    agreement = agreement_of(desk)
    funder = client_of(desk["decider"])
    response = funder.post(
        reverse("funding:agreement_signed_add", args=[agreement.pk]),
        {"file": SimpleUploadedFile("signee.pdf", SIGNED), "signed_on": "2025-01-10"},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.signed_sha256 and str(agreement.signed_on) == "2025-01-10"
    url = reverse("funding:agreement_signed_download", args=[agreement.pk])
    assert client_of(desk["reader"]).get(url).content == SIGNED
    assert client_of(desk["stranger"]).get(url).status_code == 404


def test_a_signed_file_that_is_not_a_pdf_is_refused_and_nothing_kept(desk):
    agreement = agreement_of(desk)
    response = client_of(desk["decider"]).post(
        reverse("funding:agreement_signed_add", args=[agreement.pk]),
        {"file": SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\nxxxx")},
    )
    assert response.status_code == 400
    assert "La convention signée est un PDF." in response.content.decode()
    assert not Agreement.objects.get(pk=agreement.pk).signed_file


def test_the_beneficiary_cannot_attach_it(desk):
    agreement = agreement_of(desk)
    response = client_of(desk["counsellor"]).post(
        reverse("funding:agreement_signed_add", args=[agreement.pk]),
        {"file": SimpleUploadedFile("signee.pdf", SIGNED)},
    )
    assert response.status_code == 403
    assert not Agreement.objects.get(pk=agreement.pk).signed_file


def test_the_api_attaches_and_serves_the_signed_pdf(desk):
    agreement = agreement_of(desk)
    url = reverse("api:agreement-signed", args=[agreement.pk])
    response = token_client(desk["decider"]).post(
        url, {"file": SimpleUploadedFile("signee.pdf", SIGNED)}
    )
    assert response.status_code == 200, response.content
    assert response.json()["signed_sha256"]
    assert token_client(desk["reader"]).get(url).content == SIGNED
    pdf = token_client(desk["reader"]).get(reverse("api:agreement-pdf", args=[agreement.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_replacing_the_signed_pdf_keeps_only_the_new_one(desk, django_capture_on_commit_callbacks):
    from ancrage.core import documents

    agreement = agreement_of(desk)
    with django_capture_on_commit_callbacks(execute=True):
        services.attach_signed_agreement(
            agreement=agreement,
            upload=SimpleUploadedFile("a.pdf", SIGNED),
            signed_on=None,
            actor=desk["decider"],
        )
    first = agreement.signed_file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.attach_signed_agreement(
            agreement=agreement,
            upload=SimpleUploadedFile("b.pdf", SIGNED + b" "),
            signed_on=None,
            actor=desk["decider"],
        )
    assert not documents.storage().exists(first)
    assert documents.storage().exists(agreement.signed_file.name)

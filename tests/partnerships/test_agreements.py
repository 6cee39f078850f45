"""Agreements between partners (seed 002: a landlord, an association and an employer for three
years): parties and roles, commitments, the PDF from the template, the signed copy, the renewal
alert; bad input named, nothing written; outsiders see nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from ancrage.notifications.models import Notification
from ancrage.partnerships.models import AgreementParty, PartnerAgreement
from ancrage.partnerships.services import agreements
from ancrage.partnerships.services.agreements import Party
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.api.clients import token_client
from tests.clients import client_of

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def partners(world):
    landlord = OrganizationFactory(name="Habitat Loire Sud", kind="social_landlord")
    employer = OrganizationFactory(name="Boulangerie Vidal", kind="employer")
    employer_admin = MembershipFactory(organization=employer, role="admin").user
    return landlord, employer, employer_admin


def make(world, partners, **changes):
    landlord, employer, _admin = partners
    values = {
        "organization": world.org,
        "title": "Logements pour les salariés en difficulté",
        "purpose": "Réserver des logements et accompagner les salariés orientés par l'employeur.",
        "starts_on": D(2026, 1, 1),
        "ends_on": D(2028, 12, 31),
        "parties": [
            Party(world.org, "relay", "Accompagner chaque salarié orienté"),
            Party(landlord, "landlord", "Réserver 10 logements par an"),
            Party(employer, "employer", "Financer l'accompagnement", 1_500_000),
        ],
        "actor": world.owner,
    } | changes
    return agreements.create_agreement(**values)


def test_a_three_party_agreement_prints_and_takes_its_signed_copy(world, partners):
    agreement = make(world, partners)
    owner = client_of(world.owner)
    page = owner.get(reverse("agreements:agreement_detail", args=[agreement.pk])).content.decode()
    assert "Habitat Loire Sud" in page and "Réserver 10 logements par an" in page
    assert "15\u202f000,00\u00a0€" in page or "15 000,00 €" in page
    pdf = owner.get(reverse("agreements:agreement_pdf", args=[agreement.pk]))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf))).pages)
    assert "Boulangerie Vidal" in text and "du 01/01/2026 au 31/12/2028" in text
    signed = b"%PDF-1.4 signed copy"
    response = owner.post(
        reverse("agreements:signed_add", args=[agreement.pk]),
        {"file": SimpleUploadedFile("c.pdf", signed), "signed_on": "2026-01-15"},
    )
    assert response.status_code == 302
    download = owner.get(reverse("agreements:signed_download", args=[agreement.pk]))
    assert b"".join(download) == signed
    # A party's member sees it; an outsider does not.
    _landlord, _employer, employer_admin = partners
    assert (
        client_of(employer_admin)
        .get(reverse("agreements:agreement_detail", args=[agreement.pk]))
        .status_code
        == 200
    )
    assert (
        client_of(world.outsider)
        .get(reverse("agreements:agreement_detail", args=[agreement.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": D(2025, 12, 31)}, "ends_on", "finit après son début"),
        ({"ends_on": D(2033, 1, 1)}, "ends_on", "Six ans au plus"),
        ({"title": ""}, "title", "intitulé"),
        ({"parties": []}, "parties", "au moins deux structures"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(world, partners, changes, field, message):
    with pytest.raises(Exception) as exc:
        make(world, partners, **changes)
    assert message in exc.value.message_dict[field][0]
    assert PartnerAgreement.objects.count() == 0 and AgreementParty.objects.count() == 0


def test_a_party_twice_or_a_negative_amount_names_the_line(world, partners):
    landlord, _employer, _admin = partners
    with pytest.raises(Exception) as exc:
        make(world, partners, parties=[Party(landlord, "landlord"), Party(landlord, "partner")])
    assert "déjà partie" in exc.value.message_dict["party_3"][0]
    with pytest.raises(Exception) as exc:
        make(world, partners, parties=[Party(landlord, "landlord", "", -5)])
    assert "Habitat Loire Sud" in exc.value.message_dict["party_2"][0]
    assert PartnerAgreement.objects.count() == 0


def test_a_word_document_is_refused_as_signed_copy(world, partners):
    agreement = make(world, partners)
    response = client_of(world.owner).post(
        reverse("agreements:signed_add", args=[agreement.pk]),
        {"file": SimpleUploadedFile("c.docx", b"PK\x03\x04word"), "signed_on": "2026-01-15"},
    )
    assert response.status_code == 400
    assert "Format refusé" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.signed_document == ""


def test_the_parties_are_told_once_before_the_end(world, partners):
    agreement = make(world, partners, renewal_notice_days=60)
    assert agreements.notify_agreements_ending(today=D(2028, 10, 31)) == 0
    told = agreements.notify_agreements_ending(today=D(2028, 11, 1))
    assert told == 2  # the owner's organization and the employer's admin
    assert agreements.notify_agreements_ending(today=D(2028, 11, 2)) == 0
    assert Notification.objects.filter(recipient=world.owner).get().link == reverse(
        "agreements:agreement_detail", args=[agreement.pk]
    )


def test_the_api_records_an_agreement_and_its_signed_copy(world, partners):
    landlord, employer, _admin = partners
    api = token_client(world.owner)
    response = api.post_json(
        "/api/v1/partner-agreements/",
        {
            "title": "Convention tripartite",
            "purpose": "Loger des salariés",
            "starts_on": "2026-01-01",
            "ends_on": "2028-12-31",
            "parties": [
                {"organization": landlord.pk, "role": "landlord"},
                {"organization": employer.pk, "role": "employer", "amount_cents": 100000},
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [p["role"] for p in body["parties"]] == ["operator", "landlord", "employer"]
    signed = api.post(
        f"/api/v1/partner-agreements/{body['id']}/signed/",
        {"file": SimpleUploadedFile("c.pdf", b"%PDF-1.4 x"), "signed_on": "2026-01-10"},
    )
    assert signed.status_code == 200 and signed.json()["signed_on"] == "2026-01-10"
    bad = api.post_json(
        "/api/v1/partner-agreements/",
        {
            "title": "X",
            "purpose": "Y",
            "starts_on": "2026-01-01",
            "ends_on": "2025-01-01",
            "parties": [],
        },
    )
    assert bad.status_code == 400 and "ends_on" in bad.json()
    assert (
        token_client(world.outsider).get(f"/api/v1/partner-agreements/{body['id']}/").status_code
        == 404
    )

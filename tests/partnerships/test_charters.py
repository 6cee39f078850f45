"""The tripartite charter signed online: each party through their own link and a one-time code,
without an account; three wrong codes lock a link; the signed PDF carries the signatures and the
hash, and the verification page tells the signed copy from a tampered one."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ancrage.audit.models import AuditEvent
from ancrage.core import documents
from ancrage.partnerships.models import Charter, CharterTemplate, Signatory
from ancrage.partnerships.services import charters, delete_apprenticeship
from tests.partnerships.factories import last_code, links_by_email, prepare, ready
from tests.programs.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def r(world):
    return ready(world)


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _stored(name: str) -> bytes:
    with documents.storage().open(name, "rb") as handle:
        return handle.read()


def _sign_as(client: Client, token: str, email: str, code: str | None = None):
    url = reverse("charters:sign", args=[token])
    client.post(url, {"step": "code"})
    return client.post(
        url,
        {"step": "sign", "code": code or last_code(email), "accept": "on"},
        REMOTE_ADDR="203.0.113.7",
    )


def test_three_parties_sign_and_the_pdf_carries_their_signatures_and_the_hash(
    world, r, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        charter = prepare(world, r)
    links = links_by_email()
    assert set(links) == {email for _name, email in r.parties.values()}
    # The e-mails name no one: the charter's reference only.
    assert all("Léa" not in m.body and "Martin" not in m.body for m in mail.outbox)
    assert charter.status == "à signer"
    document = _stored(charter.document)
    assert hashlib.sha256(document).hexdigest() == charter.document_sha256
    assert "Léa MARTIN prépare « CAP Boulanger » avec CFA du Forez" in _text(document)

    client = Client()
    for done, (_name, email) in enumerate(r.parties.values(), start=1):
        with django_capture_on_commit_callbacks(execute=True):
            response = _sign_as(client, links[email], email)
        assert response.status_code == 200
        assert "votre signature est enregistrée" in response.content.decode()
        charter.refresh_from_db()
        assert charter.status == ("complète" if done == 3 else f"signée par {done} sur 3")

    signed = _stored(charter.signed_document)
    assert hashlib.sha256(signed).hexdigest() == charter.signed_sha256
    text = _text(signed)
    assert text.count("203.0.113.7") == 3
    for name in ("Léa Martin", "Paul Girard", "Anne Vidal"):
        assert name in text
    assert charter.document_sha256 in text.replace("\n", "")
    # The signed pages are those prepared, then the signature page.
    assert (
        len(PdfReader(io.BytesIO(signed)).pages) == len(PdfReader(io.BytesIO(document)).pages) + 1
    )
    assert {s.signed_sha256 for s in charter.signatories.all()} == {charter.document_sha256}
    assert "signée par toutes les parties" in mail.outbox[-1].subject

    assert charters.verify(signed) == ("signed", charter)
    assert charters.verify(document) == ("unsigned", charter)
    tampered = bytearray(signed)
    tampered[len(tampered) // 2] ^= 0x01
    assert charters.verify(bytes(tampered)) == ("unknown", None)


def test_the_verification_page_accepts_the_signed_pdf_and_rejects_a_tampered_one(
    world, r, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        charter = prepare(world, r)
    links = links_by_email()
    client = Client()
    for _name, email in r.parties.values():
        with django_capture_on_commit_callbacks(execute=True):
            _sign_as(client, links[email], email)
    charter.refresh_from_db()
    signed = _stored(charter.signed_document)
    url = reverse("charters:verify")
    anonymous = Client()
    page = anonymous.post(url, {"document": SimpleUploadedFile("c.pdf", signed)}).content.decode()
    assert "Document authentique" in page and charter.reference in page
    tampered = signed.replace(b"Anne Vidal", b"Anne Vidam")
    assert tampered != signed
    page = anonymous.post(url, {"document": SimpleUploadedFile("c.pdf", tampered)}).content.decode()
    assert "Document non reconnu" in page
    response = anonymous.post(url, {"document": SimpleUploadedFile("c.txt", b"hello")})
    assert response.status_code == 400
    assert "Format refusé" in response.content.decode()


def test_three_wrong_codes_lock_the_link_until_the_manager_sends_a_new_one(
    world, r, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        charter = prepare(world, r)
    email = r.parties["school"][1]
    token = links_by_email()[email]
    client = Client()
    url = reverse("charters:sign", args=[token])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"step": "code"})
    right = last_code(email)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    first = client.post(url, {"step": "sign", "code": wrong, "accept": "on"})
    assert first.status_code == 400
    assert "Il vous reste 2 essais" in first.content.decode()
    assert (
        "Il vous reste 1 essai."
        in client.post(url, {"step": "sign", "code": wrong, "accept": "on"}).content.decode()
    )
    third = client.post(url, {"step": "sign", "code": wrong, "accept": "on"})
    assert third.status_code == 410
    assert "bloqué" in third.content.decode()
    # The right code no longer helps: the link is locked.
    fourth = client.post(url, {"step": "sign", "code": right, "accept": "on"})
    assert fourth.status_code == 410
    school = charter.signatories.get(role="school")
    assert school.signed_at is None and school.locked_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        charters.resend_link(signatory=school, actor=world.owner)
    new_token = links_by_email()[email]
    assert new_token != token
    assert client.get(url).status_code == 404  # the old link is gone
    with django_capture_on_commit_callbacks(execute=True):
        assert _sign_as(client, new_token, email).status_code == 200
    assert charter.signatories.get(role="school").signed_at is not None


def test_a_link_works_once_and_expires_after_fourteen_days(
    world, r, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        prepare(world, r)
    links = links_by_email()
    apprentice_email, school_email = r.parties["apprentice"][1], r.parties["school"][1]
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _sign_as(client, links[apprentice_email], apprentice_email)
    again = client.get(reverse("charters:sign", args=[links[apprentice_email]]))
    assert again.status_code == 410
    assert "ce lien ne sert plus" in again.content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=14, minutes=1)):
        expired = client.get(reverse("charters:sign", args=[links[school_email]]))
    assert expired.status_code == 410
    assert "Ce lien a expiré" in expired.content.decode()
    assert client.get(reverse("charters:sign", args=["x" * 43])).status_code == 404


def test_an_expired_code_is_refused_with_a_message(world, r, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        charter = prepare(world, r)
    email = r.parties["employer"][1]
    signatory = charter.signatories.get(role="employer")
    with django_capture_on_commit_callbacks(execute=True):
        charters.send_code(signatory=signatory)
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)),
        pytest.raises(ValidationError, match="Ce code a expiré"),
    ):
        charters.sign(signatory=signatory, code=last_code(email), ip=None)
    signatory.refresh_from_db()
    assert signatory.signed_at is None and signatory.failed_attempts == 0


def test_the_document_cannot_change_after_it_was_prepared(
    world, r, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        charter = prepare(world, r)
    signatory = charter.signatories.get(role="apprentice")
    with django_capture_on_commit_callbacks(execute=True):
        charters.send_code(signatory=signatory)
    path = documents.storage().path(charter.document)
    with open(path, "ab") as handle:
        handle.write(b"%% changed")
    with pytest.raises(ValidationError, match="altéré"):
        charters.sign(signatory=signatory, code=last_code(r.parties["apprentice"][1]), ip=None)
    assert not Signatory.objects.filter(signed_at__isnull=False).exists()


def test_a_minor_needs_a_guardian_and_nothing_is_written_without_one(
    world, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    r = ready(world, birth_date=today.replace(year=today.year - 16))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        prepare(world, r)
    assert "représentant·e légal·e" in exc.value.message_dict["guardian_name"][0]
    assert Charter.objects.count() == 0 and Signatory.objects.count() == 0
    assert mail.outbox == []
    parties = r.parties | {"guardian": ("Marc Martin", "marc.martin@exemple.fr")}
    with django_capture_on_commit_callbacks(execute=True):
        charter = prepare(world, r, parties=parties)
    assert charter.signatories.count() == 4
    assert "marc.martin@exemple.fr" in links_by_email()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"employer": ("", "")}, "employer_name", "Indiquez qui signe pour l'employeur."),
        ({"school": ("Paul Girard", "pas-une-adresse")}, "school_email", "adresse e-mail valide"),
        ({"apprentice": ("x" * 151, "a@b.fr")}, "apprentice_name", "150 caractères"),
    ],
)
def test_bad_parties_are_named_and_nothing_is_written(world, r, changes, field, message):
    with pytest.raises(ValidationError) as exc:
        prepare(world, r, parties=r.parties | changes)
    assert message in exc.value.message_dict[field][0]
    assert Charter.objects.count() == 0 and mail.outbox == []


def test_consent_cannot_be_in_the_future(world, r):
    with pytest.raises(ValidationError) as exc:
        charters.prepare_charter(
            apprenticeship=r.apprenticeship,
            template=r.template,
            consent_on=timezone.localdate() + datetime.timedelta(days=1),
            parties=r.parties,
            actor=world.owner,
        )
    assert "futur" in exc.value.message_dict["consent_on"][0]
    assert Charter.objects.count() == 0


def test_one_live_charter_per_contract_a_new_round_after_withdrawal(
    world, r, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = prepare(world, r)
    token = links_by_email()[r.parties["employer"][1]]
    with pytest.raises(ValidationError, match="déjà une charte en cours"):
        prepare(world, r)
    charters.revoke_charter(charter=first, actor=world.owner)
    withdrawn = Client().get(reverse("charters:sign", args=[token]))
    assert withdrawn.status_code == 410 and "retirée" in withdrawn.content.decode()
    template = charters.create_template(
        program=r.template.program,
        title="Charte CLEA",
        body="## Objet\nNouveau texte.",
        actor=world.owner,
    )
    assert template.version == 2
    second = (
        prepare(world, r, template=template)
        if False
        else charters.prepare_charter(
            apprenticeship=r.apprenticeship,
            template=template,
            consent_on=datetime.date(2026, 9, 2),
            parties=r.parties,
            actor=world.owner,
        )
    )
    assert second.template.version == 2 and first.template.version == 1
    assert second.document_sha256 != first.document_sha256
    with pytest.raises(ValidationError, match="une charte tripartite"):
        delete_apprenticeship(apprenticeship=r.apprenticeship, actor=world.owner)


def test_reminders_go_once_a_week_after_the_link_with_a_new_link(
    world, r, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        prepare(world, r)
    before = links_by_email()
    mail.outbox.clear()
    later = timezone.now() + datetime.timedelta(days=7, hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert charters.remind_signatories(now=timezone.now()) == 0
        assert charters.remind_signatories(now=later) == 3
        assert charters.remind_signatories(now=later) == 0
    assert len(mail.outbox) == 3
    assert all(m.subject.startswith("Rappel") for m in mail.outbox)
    after = links_by_email()
    assert all(after[email] != before[email] for email in after)
    assert (
        Client().get(reverse("charters:sign", args=[before[r.parties["school"][1]]])).status_code
        == 404
    )


def test_templates_are_written_by_the_programs_operator_in_versions(world, r):
    with pytest.raises(ValidationError) as exc:
        charters.create_template(
            program=r.template.program, title="T", body="Signé par {apprentie}.", actor=world.owner
        )
    assert "{apprentie}" in exc.value.message_dict["body"][0]
    partner = ParticipantFactory(program=r.template.program, role="partner")
    from tests.accounts.factories import MembershipFactory

    member = MembershipFactory(organization=partner.organization, role="admin").user
    with pytest.raises(PermissionDenied):
        charters.create_template(program=r.template.program, title="T", body="Texte.", actor=member)
    with pytest.raises(PermissionDenied):
        charters.create_template(
            program=r.template.program, title="T", body="Texte.", actor=world.colleague
        )
    assert CharterTemplate.objects.count() == 1


def test_a_schools_reading_of_the_signing_page_is_in_the_organizations_trail(
    world, r, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        charter = prepare(world, r)
    token = links_by_email()[r.parties["school"][1]]
    page = Client().get(reverse("charters:sign", args=[token]))
    assert page.status_code == 200
    assert "Léa MARTIN prépare « CAP Boulanger »" in page.content.decode()
    event = AuditEvent.objects.filter(action="view", object_id=str(charter.pk)).get()
    assert event.actor_label == "signataire : École (CFA)"
    assert event.organization_id == world.org.pk


def test_the_charter_page_follows_each_party_and_outsiders_see_nothing(
    world, r, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        charter = prepare(world, r)
    url = reverse("partnerships:charter_detail", args=[charter.pk])
    owner = Client()
    owner.force_login(world.owner)
    page = owner.get(url).content.decode()
    assert "à signer" in page and "Envoyer un nouveau lien" in page
    assert page.count("Lien envoyé le") == 3
    colleague = Client()
    colleague.force_login(world.colleague)
    page = colleague.get(url).content.decode()
    assert "Envoyer un nouveau lien" not in page
    resend = reverse(
        "partnerships:charter_resend", args=[charter.pk, charter.signatories.first().pk]
    )
    assert colleague.post(resend).status_code == 403
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.get(url).status_code == 404
    assert (
        outsider.get(reverse("partnerships:charter_document", args=[charter.pk])).status_code == 404
    )
    document = owner.get(reverse("partnerships:charter_document", args=[charter.pk]))
    assert document["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(document)).hexdigest() == charter.document_sha256

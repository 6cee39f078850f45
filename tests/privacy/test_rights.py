"""Rights requests: a person's whole file exported (PDF and JSON in one ZIP), erasure with a reason,
requests logged with the month to answer, the organization's durations within the legal bounds."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from ancrage.audit.models import AuditEvent
from ancrage.people.models import Person
from ancrage.privacy.models import RetentionPolicy, RightsRequest
from tests.people.factories import PersonFactory
from tests.privacy.files import FIRST, LAST, at, rich_file


@pytest.fixture
def admin_client(world):
    client = Client()
    client.force_login(world.owner)
    return client


def _export(client, person):
    response = client.post(reverse("privacy:person_export", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert [n.rsplit(".", 1)[1] for n in names] == ["json", "pdf"]
    data = json.loads(archive.read(names[0]))
    pages = PdfReader(io.BytesIO(archive.read(names[1]))).pages
    # Words as read, whatever the line breaks (DejaVu Sans is wider than Helvetica).
    pdf = " ".join("\n".join(p.extract_text() for p in pages).split())
    return data, pdf


def test_the_export_holds_every_category_of_data_and_answers_the_request(
    world, counsellor, admin_client
):
    person = rich_file(world, counsellor)
    with at(datetime.date(2019, 7, 1)):
        admin_client.get(reverse("people:person_detail", args=[person.pk]))  # a consultation
        pending = RightsRequest.objects.create(
            organization=world.org,
            person=person,
            kind="access",
            received_on=datetime.date(2019, 7, 1),
        )
        data, pdf = _export(admin_client, person)
    titles = {s["titre"] for s in data["sections"]}
    for expected in [
        "Identité et situation",
        "Membres du ménage",
        "Contacts",
        "Accompagnements",
        "Démarches",
        "Notes",
        "Rendez-vous",
        "Orientations",
        "Sorties",
        "Changements d'étape",
        "Suivis après la sortie",
        "Demandes d'exercice de droits",
        "Consultations de la fiche (qui l'a ouverte, quand)",
    ]:
        assert expected in titles, f"{expected} missing from {sorted(titles)}"
    identity = next(s for s in data["sections"] if s["titre"] == "Identité et situation")
    record = identity["enregistrements"][0]
    assert (record["last_name"], record["first_name"], record["birth_date"]) == (
        LAST,
        FIRST,
        "2001-04-17",
    )
    assert "identity_key" not in record and "search_name" not in record
    # The PDF says the same, readably.
    assert f"{FIRST} {LAST.upper()}" in pdf and "17/04/2001" in pdf and "Gédéon" in pdf
    assert "vit chez sa tante" in pdf  # the notes about them too
    pending.refresh_from_db()
    assert pending.status == "answered" and pending.answered_on == datetime.date(2019, 7, 1)
    assert AuditEvent.objects.for_object(person).filter(action="view").count() == 2


def test_an_export_without_a_request_logs_one_answered_the_same_day(world, admin_client):
    person = PersonFactory(organization=world.org)
    _export(admin_client, person)
    request = RightsRequest.objects.get(person=person)
    assert (request.kind, request.status, request.received_on) == (
        "access",
        "answered",
        request.answered_on,
    )


def test_a_counsellor_may_neither_export_nor_erase(world, counsellor):
    person = PersonFactory(organization=world.org)
    client = Client()
    client.force_login(counsellor)
    assert client.post(reverse("privacy:person_export", args=[person.pk])).status_code == 403
    response = client.post(
        reverse("privacy:person_erase", args=[person.pk]), {"reason": "x", "confirm": "on"}
    )
    assert response.status_code == 403
    assert not RightsRequest.objects.exists()
    assert (
        "Droits de la personne"
        not in client.get(reverse("people:person_detail", args=[person.pk])).text
    )


@pytest.mark.parametrize(
    "data, message",
    [
        ({"reason": "", "confirm": "on"}, "Indiquez le motif de l&#x27;effacement."),
        ({"reason": "Demande reçue le 12/03"}, "Cochez la case pour confirmer"),
        ({"reason": "x" * 301, "confirm": "on"}, "300 caractères"),
    ],
)
def test_erasure_needs_a_reason_and_a_confirmation(world, admin_client, data, message):
    person = PersonFactory(organization=world.org, last_name="Intacte")
    response = admin_client.post(reverse("privacy:person_erase", args=[person.pk]), data)
    assert response.status_code == 400
    assert message in response.text
    person.refresh_from_db()
    assert person.last_name == "Intacte" and person.anonymised_on is None
    assert not RightsRequest.objects.exists()


def test_erasure_anonymises_now_and_logs_the_request_with_its_reason(
    world, counsellor, admin_client
):
    person = rich_file(world, counsellor)
    page = admin_client.get(reverse("privacy:person_erase", args=[person.pk]))
    assert page.status_code == 200 and "définitif" in page.text
    response = admin_client.post(
        reverse("privacy:person_erase", args=[person.pk]),
        {"reason": "Demande d'effacement reçue par courrier", "confirm": "on"},
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=person.pk)
    assert person.anonymised_on is not None and person.last_name == ""
    request = RightsRequest.objects.get(person=person)
    assert (request.kind, request.status, request.reason) == (
        "erasure",
        "answered",
        "Demande d'effacement reçue par courrier",
    )
    # Gone from the team's lists and pages.
    assert admin_client.get(reverse("people:person_detail", args=[person.pk])).status_code == 404


def test_requests_are_logged_with_their_due_date_and_answered(world, admin_client):
    person = PersonFactory(organization=world.org)
    with at(datetime.date(2026, 1, 31)):
        response = admin_client.post(
            reverse("privacy:request_create"),
            {"kind": "rectification", "received_on": "2026-01-31", "person": f"x [{person.pk}]"},
        )
        assert response.status_code == 302
        request = RightsRequest.objects.get()
        assert request.due_on == datetime.date(2026, 2, 28)  # one month, the month's last day
    with at(datetime.date(2026, 3, 2)):
        admin_client.force_login(world.owner)  # a month later: a new session
        page = admin_client.get(reverse("privacy:overview"))
        assert "28/02/2026 — en retard" in page.text
        admin_client.post(reverse("privacy:request_extend", args=[request.pk]))
        request.refresh_from_db()
        assert request.extended and request.due_on == datetime.date(2026, 4, 30)
        response = admin_client.post(reverse("privacy:request_answer", args=[request.pk]), {})
        assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "answered" and request.answered_on == datetime.date(2026, 3, 2)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "access", "received_on": "2099-01-01"}, "Reçue le : une date entre"),
        ({"kind": "access", "received_on": "1850-01-01"}, "Reçue le : une date entre"),
        ({"kind": "access", "received_on": "pas une date"}, "Saisissez une date valide."),
        ({"kind": "sortilege", "received_on": "2026-01-05"}, "Sélectionnez un choix valide"),
        (
            {"kind": "access", "received_on": "2026-01-05", "person": "Personne Inconnue"},
            "Personne introuvable",
        ),
    ],
)
def test_a_bad_request_form_names_the_field_and_writes_nothing(admin_client, data, message):
    response = admin_client.post(reverse("privacy:request_create"), data)
    assert response.status_code == 400
    assert message in response.text
    assert not RightsRequest.objects.exists()


def test_a_refusal_needs_its_reason(world, admin_client):
    request = RightsRequest.objects.create(
        organization=world.org, kind="erasure", received_on=datetime.date(2026, 1, 5)
    )
    url = reverse("privacy:request_answer", args=[request.pk])
    response = admin_client.post(url, {"refused": "on", "reason": ""})
    assert response.status_code == 400 and "Indiquez le motif du refus." in response.text
    request.refresh_from_db()
    assert request.status == "open"
    admin_client.post(url, {"refused": "on", "reason": "Obligation légale de conservation"})
    request.refresh_from_db()
    assert request.status == "refused"


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"archive_after_months": "30", "anonymise_after_months": "60"},
            "inférieure ou égale à 24",
        ),
        (
            {"archive_after_months": "12", "anonymise_after_months": "12"},
            "L&#x27;anonymisation vient après l&#x27;archivage",
        ),
        (
            {"archive_after_months": "12", "anonymise_after_months": "120"},
            "inférieure ou égale à 60",
        ),
    ],
)
def test_durations_outside_the_legal_bounds_are_refused(admin_client, data, message):
    response = admin_client.post(reverse("privacy:policy_update"), data)
    assert response.status_code == 400
    assert message in response.text
    assert not RetentionPolicy.objects.exists()


def test_durations_within_the_bounds_are_saved_and_shown(world, admin_client):
    response = admin_client.post(
        reverse("privacy:policy_update"),
        {"archive_after_months": "12", "anonymise_after_months": "36"},
    )
    assert response.status_code == 302
    assert RetentionPolicy.objects.get(organization=world.org).anonymise_after_months == 36
    assert "<strong>12 mois</strong>" in admin_client.get(reverse("privacy:overview")).text


def test_the_overview_keeps_a_constant_query_count(world, admin_client, count_queries):
    def load():
        return count_queries(lambda: admin_client.get(reverse("privacy:overview")))

    for _ in range(2):
        person = PersonFactory(organization=world.org, archived_on=datetime.date(2026, 1, 5))
        RightsRequest.objects.create(
            organization=world.org,
            person=person,
            kind="access",
            received_on=datetime.date(2026, 1, 5),
        )
    load()  # warm the caches (content types, the session)
    first = load()
    for _ in range(5):
        person = PersonFactory(organization=world.org, archived_on=datetime.date(2026, 1, 5))
        RightsRequest.objects.create(
            organization=world.org,
            person=person,
            kind="erasure",
            received_on=datetime.date(2026, 1, 5),
        )
    assert load() == first


def test_the_export_prints_a_name_outside_windows_1252(world, counsellor, admin_client):
    person = rich_file(world, counsellor)
    person.first_name, person.last_name = "Łucja", "Nguyễn-Ștefan"
    person.save()
    with at(datetime.date(2019, 7, 1)):
        _data, pdf = _export(admin_client, person)
    assert "Łucja" in pdf and "Nguyễn-Ștefan".upper() in pdf.upper()

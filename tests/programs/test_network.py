"""A program's network: each organization's role, its contact people and their history, kept by
the operator or by the organization itself; bad input named, nothing written."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ancrage.programs.models import ProgramContact
from tests.accounts.factories import MembershipFactory
from tests.api.clients import token_client
from tests.clients import client_of
from tests.programs.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(world):
    operator = ParticipantFactory(organization=world.org, program__name="CLEA Loire")
    school = ParticipantFactory(
        program=operator.program, role="school", organization__name="CFA du Forez"
    )
    employer = ParticipantFactory(
        program=operator.program, role="employer", organization__name="Boulangerie Vidal"
    )
    school_admin = MembershipFactory(organization=school.organization, role="admin").user
    return operator.program, school, employer, school_admin


def test_the_operator_keeps_the_contacts_and_their_history(world, network):
    program, school, _employer, _admin = network
    owner = client_of(world.owner)
    url = reverse("programs:program_network", args=[program.pk])
    page = owner.get(url).content.decode()
    assert "CFA du Forez" in page and "École ou CFA" in page and "Employeur" in page
    add = reverse("programs:contact_add", args=[program.pk, school.pk])
    response = owner.post(
        add,
        {
            "name": "Paul Girard",
            "function": "Responsable pédagogique",
            "phone": "04 77 12 34 56",
            "since": "2025-09-01",
        },
    )
    assert response.status_code == 302
    contact = ProgramContact.objects.get()
    assert contact.phone == "+33477123456"
    owner.post(reverse("programs:contact_end", args=[program.pk, contact.pk]))
    owner.post(add, {"name": "Claire Fontaine", "email": "c.fontaine@cfa.fr"})
    page = owner.get(url).content.decode()
    assert "Claire Fontaine" in page and "Historique (1)" in page
    contact.refresh_from_db()
    assert contact.until == timezone.localdate()


def test_an_organization_keeps_its_own_contacts_only(world, network):
    program, school, employer, school_admin = network
    client = client_of(school_admin)
    assert (
        client.post(
            reverse("programs:contact_add", args=[program.pk, school.pk]), {"name": "Paul Girard"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("programs:contact_add", args=[program.pk, employer.pk]), {"name": "Intrus"}
        ).status_code
        == 403
    )
    assert list(ProgramContact.objects.values_list("name", flat=True)) == ["Paul Girard"]


def test_bad_input_is_named_and_nothing_is_written(world, network):
    program, school, _employer, _admin = network
    response = client_of(world.owner).post(
        reverse("programs:contact_add", args=[program.pk, school.pk]),
        {"name": "Paul Girard", "phone": "12", "email": "pas-une-adresse"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Numéro de téléphone invalide" in page
    assert ProgramContact.objects.count() == 0


def test_outsiders_see_nothing_and_colleagues_only_read(world, network):
    program, school, _employer, _admin = network
    url = reverse("programs:program_network", args=[program.pk])
    assert client_of(world.outsider).get(url).status_code == 404
    colleague = client_of(world.colleague)
    assert colleague.get(url).status_code == 200
    assert "Ajouter un contact" not in colleague.get(url).content.decode()
    assert (
        colleague.post(
            reverse("programs:contact_add", args=[program.pk, school.pk]), {"name": "X"}
        ).status_code
        == 403
    )


def test_the_api_adds_and_hands_over_a_contact(world, network):
    program, school, _employer, _admin = network
    api = token_client(world.owner)
    created = api.post_json(
        "/api/v1/program-contacts/",
        {
            "program": program.pk,
            "organization": school.organization_id,
            "name": "Paul Girard",
            "since": "2025-09-01",
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["role"] == "school"
    ended = api.post_json(
        f"/api/v1/program-contacts/{created.json()['id']}/end/", {"until": "2026-06-30"}
    )
    assert ended.json()["until"] == "2026-06-30"
    unknown = api.post_json(
        "/api/v1/program-contacts/",
        {"program": program.pk, "organization": world.other_org.pk, "name": "X"},
    )
    assert unknown.status_code == 400 and "organization" in unknown.json()
    assert token_client(world.outsider).get("/api/v1/program-contacts/").json()["results"] == []

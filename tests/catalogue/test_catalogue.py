"""The catalogue as its users meet it: a counsellor finds the services that cover a person's
commune, a provider's coordination describes, closes and exports its own, an integrator does the
same through the API; nobody changes another organization's services."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.catalogue.models import Service, ServiceTag
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.api.clients import token_client
from tests.catalogue.factories import make_service

pytestmark = pytest.mark.usefixtures("communes")


@pytest.fixture
def provider(db):
    organization = OrganizationFactory(name="Sport Solidaire Arras", kind="service_provider")
    admin = MembershipFactory(organization=organization, role="admin").user
    return organization, admin


def client_of(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


FORM = {
    "name": "Atelier vélo",
    "description": "Apprendre à réparer son vélo, un mercredi sur deux, à l'atelier partagé.",
    "kind": "atelier",
    "themes": ["mobilite--mobilite-douce-partagee-collective"],
    "publics": ["jeunes"],
    "eligibility_zone": "62041, 200033579",
    "commune": "Arras [62041]",
    "opening_hours": "We 14:00-18:00",
    "reception_modes": ["en-presentiel"],
}


def test_a_counsellor_finds_the_services_covering_a_persons_commune(world, provider):
    organization, admin = provider
    make_service(organization, admin, name="Pass mobilité Arras", eligibility_zone=["62041"])
    make_service(
        organization,
        admin,
        name="Vélos de l'agglomération",
        eligibility_zone=["200033579"],  # the CU d'Arras, which holds Arras
    )
    make_service(
        organization,
        admin,
        name="Bilan de santé",
        eligibility_zone=["62"],
        themes=["sante--acces-aux-soins"],
    )
    make_service(organization, admin, name="Épicerie de Lens", eligibility_zone=["62498"])
    make_service(organization, admin, name="Aide nationale", eligibility_zone=["france"])
    closed = make_service(organization, admin, name="Ancien service", eligibility_zone=["62041"])
    closed.is_active = False
    closed.save()
    page = client_of(world.owner).get(
        reverse("catalogue:service_list"), {"commune": "Arras [62041]"}
    )
    assert page.status_code == 200
    found = [service.name for service in page.context["page"].object_list]
    assert found == [
        "Aide nationale",
        "Bilan de santé",
        "Pass mobilité Arras",
        "Vélos de l'agglomération",
    ]
    by_theme = client_of(world.owner).get(
        reverse("catalogue:service_list"), {"commune": "Arras [62041]", "theme": "sante"}
    )
    assert [s.name for s in by_theme.context["page"].object_list] == ["Bilan de santé"]
    # Words without accents or capitals find « Épicerie ».
    by_words = client_of(world.owner).get(reverse("catalogue:service_list"), {"q": "epicerie"})
    assert [s.name for s in by_words.context["page"].object_list] == ["Épicerie de Lens"]


def test_the_list_reads_a_constant_number_of_queries(world, provider, count_queries):
    organization, admin = provider
    client = client_of(world.owner)
    make_service(organization, admin, name="Premier service")
    url = reverse("catalogue:service_list")
    client.get(url)  # the session is saved on the first page after signing in
    first = count_queries(lambda: client.get(url))
    for number in range(12):
        make_service(
            organization,
            admin,
            name=f"Service {number:02d}",
            themes=["mobilite--financer-ma-mobilite", "sante--acces-aux-soins"],
        )
    assert count_queries(lambda: client.get(url)) == first


def test_a_provider_describes_a_service_on_the_page_and_sees_its_week_in_french(provider):
    organization, admin = provider
    client = client_of(admin)
    response = client.post(reverse("catalogue:service_create"), FORM)
    assert response.status_code == 302
    service = Service.objects.get(organization=organization)
    assert service.eligibility_zone == ["62041", "200033579"]
    assert (service.commune_name, service.insee_code, service.postal_code) == (
        "Arras",
        "62041",
        "62000",
    )
    assert set(ServiceTag.objects.filter(service=service).values_list("kind", "code")) == {
        ("theme", "mobilite--mobilite-douce-partagee-collective"),
        ("public", "jeunes"),
        ("zone", "62041"),
        ("zone", "200033579"),
    }
    page = client.get(reverse("catalogue:service_detail", args=[service.pk]))
    html = page.content.decode()
    assert "mercredi" in html and "14:00 – 18:00" in html
    assert "Utiliser des services de mobilité douce, partagée ou collective" in html


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"opening_hours": "le mercredi après-midi"}, "opening_hours", "OpenStreetMap"),
        ({"eligibility_zone": "62041, 99999"}, "eligibility_zone", "99999"),
        ({"name": "x" * 151}, "name", "150"),
        ({"description": "bref"}, "description", "5"),
        ({"publics": ["tous-publics", "jeunes"]}, "publics", "Tous publics"),
        ({"themes": ["sport--natation"]}, "themes", "sport--natation"),
        ({"commune": "Atlantide"}, "commune", "Commune inconnue"),
        ({"weekly_hours": "1e309"}, "weekly_hours", ""),
    ],
)
def test_a_wrong_field_is_named_in_french_and_nothing_is_written(provider, change, field, message):
    _organization, admin = provider
    response = client_of(admin).post(reverse("catalogue:service_create"), {**FORM, **change})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert Service.objects.count() == 0 and ServiceTag.objects.count() == 0


def test_only_the_organizations_coordination_changes_its_services(world, provider):
    organization, admin = provider
    service = make_service(organization, admin)
    reader = MembershipFactory(organization=organization, role="read_only").user
    update = reverse("catalogue:service_update", args=[service.pk])
    assert client_of(admin).get(update).status_code == 200
    assert client_of(reader).get(update).status_code == 403
    assert client_of(world.owner).get(update).status_code == 404  # another organization
    assert client_of(None).get(update).status_code == 302
    # Everyone signed in reads it; nobody else closes or deletes it.
    detail = reverse("catalogue:service_detail", args=[service.pk])
    assert client_of(world.owner).get(detail).status_code == 200
    for name in ("catalogue:service_active", "catalogue:service_delete"):
        url = reverse(name, args=[service.pk])
        assert client_of(world.owner).post(url, {"is_active": "0"}).status_code == 404
        assert client_of(reader).post(url, {"is_active": "0"}).status_code == 403
    service.refresh_from_db()
    assert service.is_active
    # A closed service leaves the search and other organizations' reach.
    client_of(admin).post(
        reverse("catalogue:service_active", args=[service.pk]), {"is_active": "0"}
    )
    assert client_of(world.owner).get(detail).status_code == 404
    assert client_of(admin).get(detail).status_code == 200


def test_the_page_import_reports_and_the_export_downloads(provider):
    organization, admin = provider
    make_service(organization, admin, name="Pass mobilité")
    client = client_of(admin)
    exported = client.get(reverse("catalogue:service_export"), {"format": "json"})
    assert exported.status_code == 200
    assert exported["Content-Disposition"].startswith("attachment;")
    records = json.loads(exported.content)
    assert [r["nom"] for r in records] == ["Pass mobilité"]
    wrong = [{**records[0], "id": "dora--1", "source": "dora", "thematiques": ["inconnue"]}]
    upload = _file("services.json", json.dumps(wrong).encode())
    response = client.post(reverse("catalogue:service_import"), {"file": upload, "mode": "all"})
    assert response.status_code == 400
    assert "inconnue" in response.content.decode()
    assert Service.objects.count() == 1
    right = [{**records[0], "id": "dora--1", "source": "dora"}]
    upload = _file("services.json", json.dumps(right).encode())
    response = client.post(reverse("catalogue:service_import"), {"file": upload, "mode": "all"})
    assert response.status_code == 200
    assert Service.objects.filter(source="dora").count() == 1


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_the_api_writes_through_the_same_rules(world, provider):
    organization, admin = provider
    api = token_client(admin)
    created = api.post_json(
        reverse("api:service-list"),
        {
            "name": "Repas à 1 €",
            "description": "Un repas complet au restaurant social, du lundi au vendredi midi.",
            "themes": ["equipement-et-alimentation--alimentation"],
            "publics": ["jeunes"],
            "eligibility_zone": ["62041"],
            "opening_hours": "Mo-Fr 11:30-13:30",
        },
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["themes"] == ["equipement-et-alimentation--alimentation"]
    wrong = api.patch_json(reverse("api:service-detail", args=[pk]), {"opening_hours": "midi"})
    assert wrong.status_code == 400 and "opening_hours" in wrong.json()
    closed = api.patch_json(reverse("api:service-detail", args=[pk]), {"is_active": False})
    assert closed.status_code == 200 and closed.json()["is_active"] is False
    # Another organization reads the open services, changes none.
    other = token_client(world.owner)
    assert (
        other.patch_json(reverse("api:service-detail", args=[pk]), {"name": "Pris"}).status_code
        == 404
    )
    assert other.delete(reverse("api:service-detail", args=[pk])).status_code == 404
    reader = token_client(MembershipFactory(organization=organization, role="read_only").user)
    refused = reader.post_json(
        reverse("api:service-list"), {"name": "Essai", "description": "Un service en plus."}
    )
    assert refused.status_code == 403
    assert Client().get(reverse("api:service-list")).status_code in (401, 403)
    # Import and export in the data·inclusion schema.
    export = api.get(reverse("api:service-export"), {"file_format": "csv"})
    assert export.status_code == 200 and b"Repas" in export.content
    report = api.post_json(
        reverse("api:service-import"),
        {
            "mode": "all",
            "services": [
                {
                    "source": "dora",
                    "structure_id": "dora--3",
                    "id": "dora--8",
                    "nom": "Permanence CAF",
                    "description": "Aide aux démarches de la CAF, sans rendez-vous.",
                    "date_maj": "2026-10-01",
                    "horaires_accueil": "pas un horaire",
                }
            ],
        },
    )
    assert report.status_code == 200
    body = report.json()
    assert body["written"] is False
    assert [(f["record"], f["field"]) for f in body["faults"]] == [(1, "horaires_accueil")]
    assert api.delete(reverse("api:service-detail", args=[pk])).status_code == 204
    assert Service.objects.count() == 0


def test_a_counsellor_orients_a_person_to_a_service_with_consent(world, provider):
    from ancrage.support.models import Referral, Step
    from tests.support.factories import EnrollmentFactory

    organization, admin = provider
    sport = make_service(organization, admin, name="Sport encadré")
    enrollment = EnrollmentFactory(organization=world.org, referent=world.owner)
    person = enrollment.person
    client = client_of(world.owner)
    # From the person's file: the services of their commune, then the service, then « Orienter ».
    detail = client.get(
        reverse("catalogue:service_detail", args=[sport.pk]), {"personne": person.pk}
    )
    orient = reverse("catalogue:service_orient", args=[sport.pk, person.pk])
    assert orient in detail.content.decode()
    refused = client.post(orient, {"shared_fields": ["last_name", "first_name"]})
    assert refused.status_code == 400
    assert "consentement" in " ".join(refused.context["form"].errors["consent_on"])
    assert Step.objects.count() == 0
    # The provider follows no one on Ancrage: the orientation is a step of the enrollment.
    done = client.post(orient, {"consent_on": "2026-11-20", "shared_fields": ["last_name"]})
    assert done.status_code == 302
    step = Step.objects.get(enrollment=enrollment)
    assert step.kind == "partner_referral" and "Sport encadré" in step.note
    assert Referral.objects.count() == 0
    # A service of an organization that follows people: a referral with the fields chosen.
    other_cllaj = OrganizationFactory(name="CLLAJ du Ternois", kind="cllaj")
    desk_admin = MembershipFactory(organization=other_cllaj, role="admin").user
    desk = make_service(other_cllaj, desk_admin, name="Permanence logement")
    api = token_client(world.owner)
    answer = api.post_json(
        reverse("api:service-orient", args=[desk.pk]),
        {
            "person": person.pk,
            "consent_on": "2026-11-20",
            "shared_fields": ["last_name", "first_name"],
        },
    )
    assert answer.status_code == 201, answer.json()
    referral = Referral.objects.get(pk=answer.json()["referral"])
    assert referral.receiver == other_cllaj and referral.person == person
    # A read-only colleague cannot, an outsider does not even find the person.
    reader = MembershipFactory(organization=world.org, role="read_only").user
    assert client_of(reader).get(orient).status_code == 403
    assert client_of(world.outsider).get(orient).status_code == 404


def test_without_an_open_enrollment_the_orientation_says_what_to_do(world, provider):
    from tests.people.factories import PersonFactory

    organization, admin = provider
    sport = make_service(organization, admin)
    person = PersonFactory(organization=world.org)
    response = client_of(world.owner).post(
        reverse("catalogue:service_orient", args=[sport.pk, person.pk]),
        {"consent_on": "2026-11-20", "shared_fields": ["last_name"]},
    )
    assert response.status_code == 400
    assert "pas d'accompagnement en cours" in " ".join(response.context["form"].non_field_errors())

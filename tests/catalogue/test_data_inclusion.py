"""Services to and from the data·inclusion schema: an export validates against the published
schema and imports back to the same services; a wrong file is reported record by record and, all
or nothing, writes nothing."""

from __future__ import annotations

import json

import jsonschema
import pytest
import time_machine
from data_inclusion.schema.v1 import Service as SchemaService

from ancrage.catalogue import schema
from ancrage.catalogue.models import Service, ServiceTag
from ancrage.catalogue.services import ImportMode, import_services
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.catalogue.factories import make_service

pytestmark = pytest.mark.usefixtures("communes")

FULL = {
    "name": "Salle de sport solidaire",
    "description": "Dix séances de sport encadrées par an pour les apprentis de la résidence.",
    "kind": "atelier",
    "themes": ["remobilisation--activites-sportives-et-culturelles", "sante--acces-aux-soins"],
    "fees": "payant",
    "fees_details": "2 € la séance, pris en charge par le pack",
    "publics": ["jeunes", "etudiants"],
    "publics_details": "Apprentis de 16 à 25 ans",
    "access_conditions": "Certificat médical",
    "commune_name": "Arras",
    "postal_code": "62000",
    "insee_code": "62041",
    "address": "3 rue des Sports",
    "address_complement": "Bâtiment B",
    "longitude": 2.7775,
    "latitude": 50.2910,
    "phone": "+33321000000",
    "email": "contact@sport-arras.example.fr",
    "reception_modes": ["en-presentiel"],
    "eligibility_zone": ["62041", "200033579", "62"],
    "contact_name": "Camille Durand",
    "mobilisation_url": "https://sport-arras.example.fr/inscription",
    "mobilisation_modes": ["telephoner", "envoyer-un-courriel"],
    "mobilisable_by": ["professionnels"],
    "mobilisation_details": "Inscription par le gestionnaire de la résidence",
    "weekly_hours": 1.5,
    "weeks": 40,
    "opening_hours": "Mo-Fr 17:00-21:00; Sa 09:00-12:00; PH off",
}
COMPARED = [name for name in FULL] + ["source", "updated_on", "is_active"]


@pytest.fixture
def provider(db):
    organization = OrganizationFactory(name="Sport Solidaire Arras", kind="service_provider")
    admin = MembershipFactory(organization=organization, role="admin").user
    return organization, admin


@pytest.fixture
def other_provider(db):
    organization = OrganizationFactory(name="Autre prestataire", kind="service_provider")
    admin = MembershipFactory(organization=organization, role="admin").user
    return organization, admin


def published_json_schema() -> dict:
    return SchemaService.model_list_json_schema(
        title="Services", id="https://data.inclusion.gouv.fr/services", description="Services"
    )


@time_machine.travel("2026-11-20 10:00 +01:00", tick=False)
def test_an_export_validates_and_imports_back_to_the_same_services(provider, other_provider):
    organization, admin = provider
    sport = make_service(organization, admin, **FULL)
    bus = make_service(organization, admin)
    exported = schema.to_json([sport, bus])
    records = json.loads(exported)

    jsonschema.validate(records, published_json_schema())
    assert [SchemaService.model_validate(r).nom for r in records] == [sport.name, bus.name]

    elsewhere, elsewhere_admin = other_provider
    result = import_services(
        organization=elsewhere,
        records=schema.read_file(exported, "services.json"),
        mode=ImportMode.ALL,
        actor=elsewhere_admin,
    )
    assert (result.created, result.updated, result.faults) == (2, 0, [])
    copies = list(Service.objects.filter(organization=elsewhere).order_by("name"))
    for original, copy in zip(sorted([sport, bus], key=lambda s: s.name), copies, strict=True):
        assert {f: getattr(copy, f) for f in COMPARED} == {
            f: getattr(original, f) for f in COMPARED
        }
    # Exported again, the copies are the same records, identifiers and all.
    assert json.loads(schema.to_json(copies)) == sorted(records, key=lambda r: r["nom"])


@time_machine.travel("2026-11-20 10:00 +01:00", tick=False)
def test_the_csv_export_imports_back_too_even_opened_in_a_spreadsheet(provider, other_provider):
    organization, admin = provider
    sport = make_service(organization, admin, **{**FULL, "name": "=Sport et santé"})
    exported = schema.to_csv([sport])
    assert exported.startswith("\ufeff".encode()) and b"'=Sport" in exported  # not a formula
    elsewhere, elsewhere_admin = other_provider
    result = import_services(
        organization=elsewhere,
        records=schema.read_file(exported, "services.csv"),
        mode=ImportMode.ALL,
        actor=elsewhere_admin,
    )
    assert result.faults == [] and result.created == 1
    copy = Service.objects.get(organization=elsewhere)
    assert {f: getattr(copy, f) for f in COMPARED} == {f: getattr(sport, f) for f in COMPARED}


@time_machine.travel("2026-11-20 10:00 +01:00", tick=False)
def test_importing_the_same_file_again_updates_instead_of_duplicating(provider):
    organization, admin = provider
    record = {**schema.to_record(make_service(organization, admin, **FULL)), "id": "dora--42"}
    record["source"] = "dora"
    first = import_services(
        organization=organization, records=[(1, record)], mode=ImportMode.ALL, actor=admin
    )
    again = import_services(
        organization=organization, records=[(1, record)], mode=ImportMode.ALL, actor=admin
    )
    changed = import_services(
        organization=organization,
        records=[(1, {**record, "nom": "Sport solidaire (nouveau nom)"})],
        mode=ImportMode.ALL,
        actor=admin,
    )
    assert (first.created, again.unchanged, changed.updated) == (1, 1, 1)
    assert Service.objects.filter(organization=organization, source="dora").count() == 1
    # Our own export coming back updates the service itself.
    own = schema.to_record(Service.objects.get(organization=organization, source="ancrage"))
    result = import_services(
        organization=organization, records=[(1, own)], mode=ImportMode.ALL, actor=admin
    )
    assert (result.created, result.unchanged) == (0, 1)


def _wrong_file() -> list[tuple[int, dict]]:
    good = {
        "source": "dora",
        "structure_id": "dora--7",
        "id": "dora--1",
        "nom": "Aide aux démarches",
        "description": "Un accompagnement pour les démarches administratives en ligne.",
        "date_maj": "2026-10-01",
        "zone_eligibilite": ["62041"],
    }
    return [
        (1, good),
        (2, {**good, "id": "dora--2", "thematiques": ["sport--natation"]}),
        (3, {**good, "id": "dora--3", "zone_eligibilite": ["62041", "99999"]}),
        (4, {**good, "id": "dora--4", "horaires_accueil": "Lundi de 9h à midi"}),
        (5, {**good, "id": "dora--5", "nom": "", "courriel": "pas-une-adresse"}),
        (6, {**good, "id": "dora--1"}),
    ]


@time_machine.travel("2026-11-20 10:00 +01:00", tick=False)
def test_a_wrong_file_is_reported_by_record_and_field_and_all_or_nothing_writes_nothing(provider):
    organization, admin = provider
    result = import_services(
        organization=organization, records=_wrong_file(), mode=ImportMode.ALL, actor=admin
    )
    faults = {(fault.record, fault.field) for fault in result.faults}
    assert faults == {
        (2, "thematiques"),
        (3, "zone_eligibilite"),
        (4, "horaires_accueil"),
        (5, "nom"),
        (5, "courriel"),
        (6, "id"),
    }
    messages = {(fault.record, fault.field): fault.message for fault in result.faults}
    assert "sport--natation" in messages[(2, "thematiques")]
    assert "99999" in messages[(3, "zone_eligibilite")]
    assert "OpenStreetMap" in messages[(4, "horaires_accueil")]
    assert "plus haut" in messages[(6, "id")]
    assert Service.objects.count() == 0 and ServiceTag.objects.count() == 0

    dry = import_services(
        organization=organization, records=_wrong_file(), mode=ImportMode.DRY_RUN, actor=admin
    )
    assert dry.faults == result.faults and Service.objects.count() == 0

    valid = import_services(
        organization=organization, records=_wrong_file(), mode=ImportMode.VALID, actor=admin
    )
    assert valid.created == 1
    assert list(Service.objects.values_list("source_id", flat=True)) == ["dora--1"]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "vide.json", "vide"),
        (b"[{", "casse.json", "JSON mal form"),
        (b'{"nom": "x"}', "objet.json", "liste de services"),
        ("[]".encode("utf-16"), "utf16.json", "UTF-8"),
        (b"\x00\x01\x02binaire", "image.csv", "binaire"),
        (b"colonne;autre\n1;2\n", "autre.csv", "Colonnes du sch"),
        (b"[" + b"[" * 100_000, "profond.json", "JSON mal form"),
    ],
)
def test_an_unreadable_file_gets_a_french_reason(data, filename, message):
    with pytest.raises(schema.ReadError, match=message):
        schema.read_file(data, filename)


def test_a_windows_1252_csv_with_semicolons_is_read():
    text = "source;structure_id;id;nom;description;date_maj;thematiques\n"
    text += "dora;dora--7;dora--9;Épicerie solidaire;Des courses à petit prix;2026-10-01;"
    text += "equipement-et-alimentation--alimentation\n"
    ((number, record),) = schema.read_file(text.encode("cp1252"), "services.csv")
    assert number == 2
    assert record["nom"] == "Épicerie solidaire"
    assert record["thematiques"] == ["equipement-et-alimentation--alimentation"]

"""The grants export follows the SCDL « subventions » schema 2.1.1 (OpenDataFrance, published on
schema.data.gouv.fr): its 16 columns in order, and each value within the field's constraints."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.accounts.enums import OrganizationKind
from ancrage.funding import services
from ancrage.programs.enums import ParticipantRole
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.api.clients import token_client
from tests.programs.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db

D = datetime.date
# The schema's fields, in its order, with the constraints its documentation states.
SCHEMA = {
    "nomAttribuant": re.compile(r".+"),
    "idAttribuant": re.compile(r"^\d{14}$"),
    "dateConvention": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "referenceDecision": re.compile(r".*"),
    "nomBeneficiaire": re.compile(r".+"),
    "idBeneficiaire": re.compile(r"^(\d{14})?$"),
    "rnaBeneficiaire": re.compile(r"^(W\d{9})?$"),
    "objet": re.compile(r"^.{1,255}$"),
    "montant": re.compile(r"^\d+(\.\d+)?$"),
    "nature": re.compile(
        r"^(aide en numéraire|aide en nature|aide en numéraire;aide en nature"
        r"|aide en nature;aide en numéraire)$"
    ),
    "conditionsVersement": re.compile(r"^.{1,255}$"),
    "datesPeriodeVersement": re.compile(
        r"^[0-9]{4}\-[0-9]{2}\-[0-9]{2}(\/[0-9]{4}\-[0-9]{2}\-[0-9]{2})?$"
    ),
    "idRAE": re.compile(r"^.{0,4}$"),
    "notificationUE": re.compile(r"^(oui|non)$"),
    "pourcentageSubvention": re.compile(r"^(0\.\d*[1-9]\d*|1(\.0+)?)$"),
    "dispositifAide": re.compile(r".*"),
}


@pytest.fixture
def grants(db, settings):
    settings.DEMO = True
    funder = OrganizationFactory(
        name="Département du Pas-de-Calais", kind=OrganizationKind.FUNDER, siret="22620001600016"
    )
    decider = UserFactory()
    MembershipFactory(user=decider, organization=funder, role="funder")
    program = ProgramFactory(name="CLLAJ 62", starts_on=D(2025, 1, 1))
    ParticipantFactory(program=program, organization=funder, role=ParticipantRole.FUNDER)
    for name, siret in (("CLLAJ de l'Artois", "44306184100047"), ("CLLAJ du Boulonnais", "")):
        cllaj = OrganizationFactory(name=name, kind=OrganizationKind.CLLAJ, siret=siret)
        ParticipantFactory(program=program, organization=cllaj, role=ParticipantRole.OPERATOR)
        services.create_agreement(
            funder=funder,
            beneficiary=cllaj,
            program=program,
            subject="Accueil, information et accompagnement des jeunes\nvers le logement " * 6,
            starts_on=D(2025, 1, 1),
            ends_on=D(2026, 12, 31),
            signed_on=D(2024, 12, 12),
            amounts={2025: 2_500_000, 2026: 2_500_050},
            actor=decider,
        )
    return decider


def test_the_export_has_the_schemas_columns_and_valid_values(grants):
    client = Client()
    client.force_login(grants)
    response = client.get(reverse("funding:grants_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert tuple(rows[0]) == tuple(SCHEMA)
    assert len(rows) == 3
    for row in rows[1:]:
        for name, value in zip(rows[0], row, strict=True):
            assert SCHEMA[name].match(value), (name, value)
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["montant"] == "50000.50"
    assert first["dateConvention"] == "2024-12-12"
    assert first["datesPeriodeVersement"] == "2025-01-01/2026-12-31"
    assert first["idBeneficiaire"] == "44306184100047"
    assert "\n" not in first["objet"]


def test_the_api_gives_the_same_file_and_others_get_nothing(grants, world):
    page = Client()
    page.force_login(grants)
    api = token_client(grants).get("/api/v1/agreements/scdl/")
    assert api.status_code == 200
    assert api.content == page.get(reverse("funding:grants_export")).content
    empty = token_client(world.owner).get("/api/v1/agreements/scdl/")
    assert empty.status_code == 200 and empty.content.count(b"\r\n") == 1  # the header only
    outsider = Client()
    outsider.force_login(world.owner)
    assert outsider.get(reverse("funding:grants_export")).status_code == 403
    assert Client().get(reverse("funding:grants_export")).status_code == 302

"""The pack indicators on the CLEA residence (``clea``), every figure worked out by hand.

November 2026: Inès arrives on Monday 16 (15 of 30 days), Tom is there the weeks of 2 and 16
(14 days). Deliveries: Inès 6 meals at 4,50 € on the 17th and one sport session at 8,00 € on
the 18th (by the provider); Tom nothing. December: Inès all month, Tom gone; one pass at
8,50 € for Inès on 1 December."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from ancrage.catalogue.services import open_to_provider, record_delivery
from ancrage.indicators.enums import Grain, Scope
from ancrage.indicators.models import Aggregate
from ancrage.indicators.queries import format_number
from ancrage.indicators.rollup import refresh_months

D = datetime.date


def figure(code, organization, month, category=""):
    row = Aggregate.objects.get(
        indicator=code,
        scope=Scope.ORGANIZATION,
        organization=organization,
        grain=Grain.MONTH,
        period=month,
        category=category,
    )
    return row.value, row.denominator


@pytest.fixture
def used(world, clea):
    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.UTC)):
        record_delivery(
            entitlement=clea["meals"],
            person=clea["ines"],
            delivered_on=D(2026, 11, 17),
            quantity=6,
            unit_cost_cents=450,
            payer="pack",
            actor=world.owner,
        )
        open_to_provider(
            pack=clea["pack"],
            person=clea["ines"],
            provider=clea["provider"],
            consent_on=D(2026, 11, 18),
            actor=world.owner,
        )
        record_delivery(
            entitlement=clea["sessions"],
            person=clea["ines"],
            delivered_on=D(2026, 11, 18),
            quantity=1,
            unit_cost_cents=800,
            payer="pack",
            actor=clea["coach"],
        )
        record_delivery(
            entitlement=clea["transport"],
            person=clea["ines"],
            delivered_on=D(2026, 12, 1),
            quantity=1,
            unit_cost_cents=850,
            payer="pack",
            actor=world.owner,
        )
        refresh_months([D(2026, 11, 1), D(2026, 12, 1)])
    return clea


def test_deliveries_and_their_cost_by_category(world, used):
    november = D(2026, 11, 1)
    assert figure("prestations_delivrees", world.org, november) == (7, None)
    assert figure("prestations_delivrees", world.org, november, "categorie:catering") == (6, None)
    assert figure("prestations_delivrees", world.org, november, "categorie:sport") == (1, None)
    assert figure("cout_prestations", world.org, november) == (35.0, None)  # 27 + 8
    assert figure("cout_prestations", world.org, november, "categorie:catering") == (27.0, None)
    assert figure("cout_prestations", world.org, D(2026, 12, 1)) == (8.5, None)


def test_share_of_residents_served_and_cost_per_resident_count_those_who_used_nothing(world, used):
    november = D(2026, 11, 1)
    # Inès and Tom housed; Inès served.
    assert figure("part_residents_servis", world.org, november) == (1, 2)
    assert figure("cout_par_resident", world.org, november) == (35.0, 2)  # 17,50 € each
    assert format_number(35.0 / 2, "euros") == "17,50 €"
    # December: Inès only, served.
    assert figure("part_residents_servis", world.org, D(2026, 12, 1)) == (1, 1)


def test_unused_entitlements_follow_the_pro_rata_of_presence(world, used):
    november = D(2026, 11, 1)
    # Meals: Inès 10 − 6 = 4, Tom 9 − 0 = 9; transport: Inès 3 weeks, Tom 2 weeks, none used.
    assert figure("droits_non_utilises", world.org, november, "categorie:catering") == (13, None)
    assert figure("droits_non_utilises", world.org, november, "categorie:mobility") == (5, None)
    assert figure("droits_non_utilises", world.org, november) == (18, None)
    # December (yearly ones close): meals 20, transport 4 − 1 = 3; sport: Inès 10 × 46 / 365
    # = 1 for 2026, used 1 → 0; the health check (for the stay) is never counted.
    assert figure("droits_non_utilises", world.org, D(2026, 12, 1), "categorie:catering") == (
        20,
        None,
    )
    assert figure("droits_non_utilises", world.org, D(2026, 12, 1), "categorie:mobility") == (
        3,
        None,
    )
    assert figure("droits_non_utilises", world.org, D(2026, 12, 1)) == (23, None)


def test_the_monthly_statement_matches_the_page_and_the_indicator(world, used, client):
    from io import BytesIO

    from django.urls import reverse
    from openpyxl import load_workbook

    from tests.api.clients import token_client

    client.force_login(world.owner)
    pack = used["pack"]
    page = client.get(reverse("catalogue:pack_detail", args=[pack.pk]), {"mois": "2026-11"})
    assert "Prestations de novembre 2026 : <strong>7</strong>" in page.content.decode()
    assert "35,00" in page.content.decode()
    response = client.get(reverse("catalogue:pack_statement", args=[pack.pk]), {"mois": "2026-11"})
    assert response["Content-Disposition"].endswith(f'releve-prestations-{pack.pk}-2026-11.xlsx"')
    workbook = load_workbook(BytesIO(response.content))
    lines = [
        row for row in workbook["Prestations"].iter_rows(min_row=4, values_only=True) if row[0]
    ]
    assert [(row[1], row[2], row[5], row[7]) for row in lines[:-1]] == [
        ("Inès BENALI", "Repas", 6, 27.0),
        ("Inès BENALI", "Séances de sport", 1, 8.0),
    ]
    assert lines[-1][0] == "Total" and lines[-1][7] == 35.0
    totals = {row[0]: row[1:] for row in workbook["Totaux"].iter_rows(values_only=True) if row}
    assert totals["Restauration"] == (6, 27.0)
    assert totals["Sport Solidaire Arras"] == (1, 8.0)
    assert totals["Total du mois"] == (7, 35.0)
    # The same total as the « coût des prestations » indicator of the month.
    assert figure("cout_prestations", world.org, D(2026, 11, 1)) == (35.0, None)
    api = token_client(world.owner).get(f"/api/v1/packs/{pack.pk}/statement/", {"month": "2026-11"})
    assert api.status_code == 200 and api.content[:2] == b"PK"
    assert (
        token_client(world.outsider).get(f"/api/v1/packs/{pack.pk}/statement/").status_code == 404
    )

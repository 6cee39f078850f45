"""The packs through the API, as an integrator of the residence manager and as a provider's
software: the same rules as the pages, through the same service."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from ancrage.catalogue.models import Delivery, Entitlement, Opening, Pack
from ancrage.housing.services import book_open_ended
from tests.api.clients import token_client
from tests.housing.factories import BedFactory, ResidenceFactory, UnitFactory
from tests.people.factories import PersonFactory

NOW = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)
pytestmark = pytest.mark.usefixtures("world")


@time_machine.travel(NOW)
def test_a_manager_runs_a_pack_end_to_end_through_the_api(world, clea):
    api = token_client(world.owner)
    response = api.post_json(
        "/api/v1/packs/",
        {
            "name": "Pack Culture",
            "residences": [clea["residence"].pk],
            "starts_on": "2026-11-01",
            "external_ref": "PK-1",
        },
    )
    assert response.status_code == 201, response.json()
    pack = response.json()["id"]
    again = api.post_json(
        "/api/v1/packs/",
        {
            "name": "Pack Culture",
            "residences": [clea["residence"].pk],
            "starts_on": "2026-11-01",
            "external_ref": "PK-1",
        },
    )
    assert again.status_code == 200 and again.json()["id"] == pack
    response = api.post_json(
        "/api/v1/entitlements/",
        {
            "pack": pack,
            "category": "culture",
            "label": "Places de cinéma",
            "quantity": 2,
            "period": "month",
            "service": clea["sessions"].service_id,
        },
    )
    assert response.status_code == 201, response.json()
    cinema = response.json()["id"]
    response = api.post_json(
        "/api/v1/pack-openings/",
        {
            "pack": pack,
            "person": clea["ines"].pk,
            "provider": clea["provider"].pk,
            "consent_on": "2026-11-24",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["person_name"] == "Inès B."
    response = api.post_json(
        "/api/v1/deliveries/",
        {
            "entitlement": cinema,
            "person": clea["ines"].pk,
            "delivered_on": "2026-11-21",
            "quantity": 1,
            "unit_cost_cents": 750,
            "payer": "pack",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["cost_cents"] == 750
    residents = api.get(f"/api/v1/packs/{pack}/residents/", {"month": "2026-11"}).json()
    ines = next(row for row in residents if row["person"] == clea["ines"].pk)
    # 2 × 15 / 30 = 1 place in November, used.
    assert ines["balances"] == [
        {
            "entitlement": cinema,
            "label": "Places de cinéma",
            "window": "novembre 2026",
            "allowed": 1,
            "used": 1,
            "left": 0,
            "beyond": 0,
        }
    ]
    response = api.post_json(
        "/api/v1/deliveries/",
        {
            "entitlement": cinema,
            "person": clea["ines"].pk,
            "delivered_on": "2026-11-22",
            "quantity": 1,
            "unit_cost_cents": 750,
            "payer": "pack",
        },
    )
    assert response.status_code == 400
    assert "reason_beyond" in response.json()
    assert Delivery.objects.count() == 1
    assert api.delete(f"/api/v1/entitlements/{cinema}/").status_code == 400
    assert api.delete(f"/api/v1/packs/{pack}/").status_code == 400
    assert Entitlement.objects.filter(pk=cinema).exists()


@time_machine.travel(NOW)
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"residences": []}, "residences"),
        ({"residences": [999_999]}, "residences"),
        ({"starts_on": "2026-11-01", "ends_on": "2026-10-01"}, "ends_on"),
        ({"name": "x" * 151}, "name"),
        ({"program": 999_999}, "program"),
        ({"starts_on": "not a date"}, "starts_on"),
    ],
)
def test_a_wrong_pack_is_a_400_naming_the_field_and_writes_nothing(world, clea, body, field):
    values = {"name": "Pack 2", "residences": [clea["residence"].pk], "starts_on": "2026-11-01"}
    response = token_client(world.owner).post_json("/api/v1/packs/", values | body)
    assert response.status_code == 400
    assert field in response.json()
    assert Pack.objects.count() == 1


@time_machine.travel(NOW)
def test_a_pack_cannot_cover_another_organizations_residence(world, clea):
    theirs = ResidenceFactory(organization=world.other_org)
    response = token_client(world.owner).post_json(
        "/api/v1/packs/",
        {"name": "Pack 2", "residences": [theirs.pk], "starts_on": "2026-11-01"},
    )
    assert response.status_code == 400 and "residences" in response.json()
    assert Pack.objects.count() == 1


@time_machine.travel(NOW)
def test_a_providers_software_sees_and_records_only_the_residents_opened_to_it(world, clea):
    manager = token_client(world.owner)
    manager.post_json(
        "/api/v1/pack-openings/",
        {
            "pack": clea["pack"].pk,
            "person": clea["ines"].pk,
            "provider": clea["provider"].pk,
            "consent_on": "2026-11-24",
        },
    )
    provider = token_client(clea["coach"])
    openings = provider.get("/api/v1/pack-openings/").json()["results"]
    assert [(o["person"], o["person_name"]) for o in openings] == [(clea["ines"].pk, "Inès B.")]
    session = {
        "entitlement": clea["sessions"].pk,
        "delivered_on": "2026-11-23",
        "quantity": 1,
        "unit_cost_cents": 800,
        "payer": "pack",
    }
    assert (
        provider.post_json("/api/v1/deliveries/", session | {"person": clea["ines"].pk}).status_code
        == 201
    )
    refused = provider.post_json("/api/v1/deliveries/", session | {"person": clea["tom"].pk})
    assert refused.status_code == 400 and "person" in refused.json()
    meal = provider.post_json(
        "/api/v1/deliveries/",
        session | {"person": clea["ines"].pk, "entitlement": clea["meals"].pk},
    )
    assert meal.status_code in (400, 403)
    # The manager's own delivery of a meal stays out of the provider's sight.
    manager.post_json(
        "/api/v1/deliveries/",
        {
            "entitlement": clea["meals"].pk,
            "person": clea["ines"].pk,
            "delivered_on": "2026-11-23",
            "quantity": 1,
            "unit_cost_cents": 450,
            "payer": "pack",
        },
    )
    seen = provider.get("/api/v1/deliveries/").json()["results"]
    assert [d["entitlement"] for d in seen] == [clea["sessions"].pk]
    assert len(manager.get("/api/v1/deliveries/").json()["results"]) == 2
    for url in (
        f"/api/v1/persons/{clea['ines'].pk}/",
        f"/api/v1/packs/{clea['pack'].pk}/",
        f"/api/v1/packs/{clea['pack'].pk}/residents/",
        f"/api/v1/entitlements/{clea['meals'].pk}/",
    ):
        assert provider.get(url).status_code in (403, 404), url
    assert Delivery.objects.count() == 2
    assert Opening.objects.count() == 1


@time_machine.travel(NOW)
def test_the_pack_lists_keep_a_constant_query_count(world, clea, count_queries):
    api = token_client(world.owner)

    def add_resident(day):
        bed = BedFactory(unit=UnitFactory(residence=clea["residence"]))
        person = PersonFactory(organization=world.org)
        book_open_ended(person=person, bed=bed, starts_on=day, actor=world.owner)
        api.post_json(
            "/api/v1/deliveries/",
            {
                "entitlement": clea["meals"].pk,
                "person": person.pk,
                "delivered_on": "2026-11-23",
                "quantity": 1,
                "unit_cost_cents": 450,
                "payer": "pack",
            },
        )

    add_resident(datetime.date(2026, 11, 2))
    urls = ["/api/v1/deliveries/", f"/api/v1/packs/{clea['pack'].pk}/residents/"]
    for url in urls:
        api.get(url)
    before = [count_queries(lambda url=url: api.get(url)) for url in urls]
    for _ in range(3):
        add_resident(datetime.date(2026, 11, 9))
    assert [count_queries(lambda url=url: api.get(url)) for url in urls] == before

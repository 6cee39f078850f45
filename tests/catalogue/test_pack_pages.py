"""The pack pages as their users meet them: the manager defines a pack and follows each
resident; a provider's member sees only the residents opened to it (first name, initial,
entitlements), records a session, and reaches nothing else."""

from __future__ import annotations

import datetime
import html

import pytest
import time_machine
from django.urls import reverse

from ancrage.audit.enums import AuditAction
from ancrage.audit.models import AuditEvent
from ancrage.catalogue.models import Delivery, Opening, Pack
from ancrage.catalogue.services import open_to_provider
from ancrage.housing.services import book_open_ended
from tests.clients import client_of
from tests.housing.factories import BedFactory, UnitFactory
from tests.people.factories import PersonFactory

D = datetime.date
NOW = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)
pytestmark = pytest.mark.usefixtures("world")


@time_machine.travel(NOW)
def test_a_manager_defines_a_pack_and_its_entitlements_from_the_pages(world, clea):
    owner = client_of(world.owner)
    response = owner.post(
        reverse("catalogue:pack_create"),
        {
            "name": "Pack Bien-être",
            "residences": [clea["residence"].pk],
            "starts_on": "2026-11-01",
        },
    )
    pack = Pack.objects.get(name="Pack Bien-être")
    assert response.status_code == 302
    response = owner.post(
        reverse("catalogue:entitlement_add", args=[pack.pk]),
        {
            "label": "Séances de sport",
            "category": "sport",
            "quantity": "4",
            "period": "month",
            "service": clea["sessions"].service_id,
        },
    )
    assert response.status_code == 302
    page = owner.get(reverse("catalogue:pack_detail", args=[pack.pk]), {"mois": "2026-11"})
    text = page.content.decode()
    assert "Séances de sport" in text and "Sport Solidaire Arras" in text
    # Inès: 4 × 15/30 = 2 sessions in November; Tom: 4 × 14/30 = 1.87 → 2.
    assert "Inès BENALI" in text and "Tom GIRARD" in text
    assert text.count("0 / 2") == 2


@time_machine.travel(NOW)
@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"starts_on": "2026-11-01", "ends_on": "2026-10-01"}, "La fin du pack doit suivre"),
        ({"starts_on": "1850-01-01"}, "entre 2000 et 2099"),
        ({"starts_on": "2026-11-01", "name": "x" * 151}, "150 caractères"),
        ({"starts_on": "2026-11-01", "residences": []}, "au moins une résidence"),
    ],
)
def test_a_wrong_pack_names_its_field_and_writes_nothing(world, clea, data, field_message):
    values = {"name": "Pack 2", "residences": [clea["residence"].pk]} | data
    response = client_of(world.owner).post(reverse("catalogue:pack_create"), values)
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert Pack.objects.count() == 1


@time_machine.travel(NOW)
def test_the_resident_page_shows_what_is_left_and_a_delivery_beyond_asks_for_a_reason(world, clea):
    owner = client_of(world.owner)
    url = reverse("catalogue:pack_resident", args=[clea["pack"].pk, clea["ines"].pk])
    page = owner.get(url).content.decode()
    assert 'data-reste="Repas">10<' in page
    create = reverse("catalogue:delivery_create", args=[clea["pack"].pk, clea["ines"].pk])
    delivery = {
        "entitlement": clea["meals"].pk,
        "delivered_on": "2026-11-20",
        "quantity": "8",
        "unit_cost": "4,50",
        "payer": "pack",
    }
    assert owner.post(create, delivery).status_code == 302
    page = owner.get(url).content.decode()
    assert 'data-reste="Repas">2<' in page and "36,00" in page  # 8 × 4,50 €
    response = owner.post(create, delivery | {"quantity": "3"})
    assert response.status_code == 400
    assert "Il reste 2 sur « Repas »" in response.content.decode()
    assert Delivery.objects.count() == 1
    response = owner.post(create, delivery | {"quantity": "3", "reason_beyond": "Week-end"})
    assert response.status_code == 302
    # Undo the mistake: the entitlement comes back.
    last = Delivery.objects.latest("id")
    owner.post(reverse("catalogue:delivery_delete", args=[last.pk]))
    assert 'data-reste="Repas">2<' in owner.get(url).content.decode()


@time_machine.travel(NOW)
def test_a_read_only_colleague_sees_the_resident_but_records_nothing(world, clea):
    colleague = client_of(world.colleague)
    url = reverse("catalogue:pack_resident", args=[clea["pack"].pk, clea["ines"].pk])
    page = colleague.get(url).content.decode()
    assert "Enregistrer la prestation" not in page
    create = reverse("catalogue:delivery_create", args=[clea["pack"].pk, clea["ines"].pk])
    response = colleague.post(
        create,
        {
            "entitlement": clea["meals"].pk,
            "delivered_on": "2026-11-20",
            "quantity": "1",
            "unit_cost": "1",
            "payer": "pack",
        },
    )
    assert response.status_code == 403
    assert not Delivery.objects.exists()


@time_machine.travel(NOW)
def test_a_provider_sees_first_name_and_initial_records_and_reaches_nothing_else(world, clea):
    ines, tom, coach = clea["ines"], clea["tom"], clea["coach"]
    opening = open_to_provider(
        pack=clea["pack"],
        person=ines,
        provider=clea["provider"],
        consent_on=D(2026, 11, 20),
        actor=world.owner,
    )
    provider = client_of(coach)
    listing = provider.get(reverse("catalogue:provider_residents")).content.decode()
    assert "Inès B." in listing
    assert "BENALI" not in listing and "Tom" not in listing
    page = provider.get(reverse("catalogue:provider_resident", args=[opening.pk]))
    text = page.content.decode()
    assert "Inès B." in text and "Séances de sport" in text
    assert "BENALI" not in text and "Repas" not in text  # not the provider's entitlement
    assert ines.phone not in text
    response = provider.post(
        reverse("catalogue:provider_resident", args=[opening.pk]),
        {
            "entitlement": clea["sessions"].pk,
            "delivered_on": "2026-11-24",
            "quantity": "1",
            "unit_cost": "8",
            "payer": "pack",
        },
    )
    assert response.status_code == 302
    assert Delivery.objects.get().provider == clea["provider"]
    # The manager's page shows the session used.
    manager = client_of(world.owner)
    resident = reverse("catalogue:pack_resident", args=[clea["pack"].pk, ines.pk])
    assert 'data-reste="Séances de sport">0<' in manager.get(resident).content.decode()
    # Every other door is shut: the person's file, the pack, the other resident, a meal.
    for url in (
        reverse("people:person_detail", args=[ines.pk]),
        reverse("catalogue:pack_detail", args=[clea["pack"].pk]),
        reverse("catalogue:pack_resident", args=[clea["pack"].pk, tom.pk]),
        reverse("catalogue:pack_resident", args=[clea["pack"].pk, ines.pk]),
    ):
        assert provider.get(url).status_code in (403, 404), url
    response = provider.post(
        reverse("catalogue:provider_resident", args=[opening.pk]),
        {
            "entitlement": clea["meals"].pk,
            "delivered_on": "2026-11-24",
            "quantity": "1",
            "unit_cost": "4",
            "payer": "pack",
        },
    )
    assert response.status_code == 400  # not one of its entitlements: not a choice
    assert Delivery.objects.count() == 1
    # Each read of a resident by the provider is in the trail.
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, actor=coach)
    assert views.count() >= 2
    # Closed: the resident is gone from the provider's pages.
    manager.post(reverse("catalogue:opening_close", args=[opening.pk]))
    assert (
        provider.get(reverse("catalogue:provider_resident", args=[opening.pk])).status_code == 404
    )
    assert "Inès" not in provider.get(reverse("catalogue:provider_residents")).content.decode()


@time_machine.travel(NOW)
def test_opening_needs_the_residents_consent(world, clea):
    manager = client_of(world.owner)
    url = reverse("catalogue:opening_create", args=[clea["pack"].pk, clea["ines"].pk])
    response = manager.post(url, {"provider": clea["provider"].pk, "consent_on": "2026-11-30"})
    assert response.status_code == 400
    assert "L'accord ne peut pas être daté de demain." in html.unescape(response.content.decode())
    assert not Opening.objects.exists()
    response = manager.post(url, {"provider": clea["provider"].pk, "consent_on": "2026-11-25"})
    assert response.status_code == 302
    assert Opening.objects.get().consent_on == D(2026, 11, 25)


@time_machine.travel(NOW)
def test_the_pack_pages_keep_a_constant_query_count(world, clea, count_queries):
    open_to_provider(
        pack=clea["pack"],
        person=clea["ines"],
        provider=clea["provider"],
        consent_on=D(2026, 11, 20),
        actor=world.owner,
    )
    owner, provider = client_of(world.owner), client_of(clea["coach"])
    detail = reverse("catalogue:pack_detail", args=[clea["pack"].pk])
    listing = reverse("catalogue:provider_residents")
    owner.get(detail)
    provider.get(listing)
    before = count_queries(lambda: owner.get(detail)), count_queries(lambda: provider.get(listing))
    for _ in range(3):
        bed = BedFactory(unit=UnitFactory(residence=clea["residence"]))
        person = PersonFactory(organization=world.org)
        book_open_ended(person=person, bed=bed, starts_on=D(2026, 11, 2), actor=world.owner)
        open_to_provider(
            pack=clea["pack"],
            person=person,
            provider=clea["provider"],
            consent_on=D(2026, 11, 20),
            actor=world.owner,
        )
    after = count_queries(lambda: owner.get(detail)), count_queries(lambda: provider.get(listing))
    assert after == before

"""Packs as a residence manager and a provider meet them: what a resident may use, worked out
by hand for arrivals in the middle of a month and for an apprentice who alternates, what is
left after deliveries, and who may record them."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from ancrage.catalogue import packs
from ancrage.catalogue.models import Delivery, Opening
from ancrage.catalogue.services import (
    close_opening,
    delete_delivery,
    delete_entitlement,
    open_to_provider,
    record_delivery,
)
from tests.people.factories import PersonFactory

D = datetime.date
NOW = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)


def allowed(clea, person, day):
    return {b.entitlement.label: b.allowed for b in packs.balances(clea["pack"], person.pk, day)}


def test_an_arrival_in_the_middle_of_the_month_gets_the_pro_rata(clea):
    # Inès is housed from Monday 16 November: 15 of November's 30 days, 46 of 2026's 365.
    assert allowed(clea, clea["ines"], D(2026, 11, 20)) == {
        "Repas": 10,  # 20 × 15 / 30
        "Séances de sport": 1,  # 10 × 46 / 365 = 1.26
        "Bilan de santé": 1,  # once for the stay
        "Pass transport": 3,  # the weeks of 16, 23 and 30 November
    }
    # December, all month: the full month; the week of 30 November began in November, so
    # December holds the weeks of 7, 14, 21 and 28.
    assert allowed(clea, clea["ines"], D(2026, 12, 3))["Repas"] == 20
    assert allowed(clea, clea["ines"], D(2026, 12, 3))["Pass transport"] == 4
    # Before she arrives: nothing but what her stay will bring.
    assert allowed(clea, clea["ines"], D(2026, 10, 5)) == {
        "Repas": 0,
        "Séances de sport": 1,
        "Bilan de santé": 1,
        "Pass transport": 0,
    }


def test_an_alternating_apprentice_gets_the_transport_of_the_weeks_at_the_residence(clea):
    # Tom: the weeks of 2 and 16 November, 14 nights of November's 30 days.
    assert allowed(clea, clea["tom"], D(2026, 11, 20)) == {
        "Repas": 9,  # 20 × 14 / 30 = 9.33
        "Séances de sport": 0,  # 10 × 14 / 365 = 0.38
        "Bilan de santé": 1,
        "Pass transport": 2,  # two weeks present, not the five calendar weeks
    }


@time_machine.travel(NOW)
def test_deliveries_use_the_entitlement_and_a_delivery_beyond_it_needs_a_reason(clea, world):
    ines, meals = clea["ines"], clea["meals"]
    record_delivery(
        entitlement=meals,
        person=ines,
        delivered_on=D(2026, 11, 17),
        quantity=6,
        unit_cost_cents=450,
        payer="pack",
        actor=world.owner,
    )
    (balance,) = packs.balances(clea["pack"], ines.pk, D(2026, 11, 25), entitlements=[meals])
    assert (balance.allowed, balance.used, balance.left) == (10, 6, 4)

    with pytest.raises(ValidationError) as refused:
        record_delivery(
            entitlement=meals,
            person=ines,
            delivered_on=D(2026, 11, 24),
            quantity=5,
            unit_cost_cents=450,
            payer="pack",
            actor=world.owner,
        )
    assert (
        "Il reste 4 sur « Repas » (novembre 2026)" in refused.value.message_dict["reason_beyond"][0]
    )
    assert Delivery.objects.count() == 1

    record_delivery(
        entitlement=meals,
        person=ines,
        delivered_on=D(2026, 11, 24),
        quantity=5,
        unit_cost_cents=450,
        payer="pack",
        reason_beyond="Stage de week-end à la résidence",
        actor=world.owner,
    )
    (balance,) = packs.balances(clea["pack"], ines.pk, D(2026, 11, 25), entitlements=[meals])
    assert (balance.used, balance.left, balance.beyond) == (11, 0, 1)


@time_machine.travel(NOW)
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"delivered_on": D(2026, 11, 26)}, "delivered_on"),  # tomorrow
        ({"delivered_on": D(2025, 12, 31)}, "delivered_on"),  # before the pack
        ({"delivered_on": None}, "delivered_on"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": 1001}, "quantity"),
        ({"unit_cost_cents": -1}, "unit_cost_cents"),
        ({"unit_cost_cents": 100_000_01}, "unit_cost_cents"),
        ({"payer": "banque"}, "payer"),
        ({"reason_beyond": "x" * 301}, "reason_beyond"),
        ({"delivered_on": D(2026, 10, 12)}, "person"),  # Inès was not housed in October
    ],
)
def test_a_wrong_delivery_names_its_field_and_writes_nothing(clea, world, change, field):
    values = {
        "entitlement": clea["meals"],
        "person": clea["ines"],
        "delivered_on": D(2026, 11, 17),
        "quantity": 1,
        "unit_cost_cents": 450,
        "payer": "pack",
        "actor": world.owner,
    } | change
    with pytest.raises(ValidationError) as refused:
        record_delivery(**values)
    assert field in refused.value.message_dict
    assert not Delivery.objects.exists()


@time_machine.travel(NOW)
def test_a_provider_records_only_for_the_residents_opened_to_it_and_its_own_services(clea, world):
    ines, tom, coach = clea["ines"], clea["tom"], clea["coach"]
    sessions = clea["sessions"]
    values = {
        "delivered_on": D(2026, 11, 18),
        "quantity": 1,
        "unit_cost_cents": 800,
        "payer": "pack",
        "actor": coach,
    }
    with pytest.raises(PermissionDenied):  # not opened yet
        record_delivery(entitlement=sessions, person=ines, **values)
    with pytest.raises(ValidationError) as refused:  # no consent
        open_to_provider(
            pack=clea["pack"],
            person=ines,
            provider=clea["provider"],
            consent_on=None,
            actor=world.owner,
        )
    assert "consent_on" in refused.value.message_dict
    with pytest.raises(PermissionDenied):  # a read-only colleague opens no one
        open_to_provider(
            pack=clea["pack"],
            person=ines,
            provider=clea["provider"],
            consent_on=D(2026, 11, 20),
            actor=world.colleague,
        )
    opening = open_to_provider(
        pack=clea["pack"],
        person=ines,
        provider=clea["provider"],
        consent_on=D(2026, 11, 20),
        actor=world.owner,
    )
    delivery = record_delivery(entitlement=sessions, person=ines, **values)
    assert delivery.provider == clea["provider"]
    with pytest.raises(PermissionDenied):  # Tom is not opened to the provider
        record_delivery(entitlement=sessions, person=tom, **values)
    with pytest.raises(PermissionDenied):  # meals are not the provider's service
        record_delivery(entitlement=clea["meals"], person=ines, **values | {"unit_cost_cents": 450})
    close_opening(opening=opening, actor=world.owner)
    with pytest.raises(PermissionDenied):
        record_delivery(entitlement=sessions, person=ines, **values)
    # The provider still undoes its own mistake; an outsider does not.
    with pytest.raises(PermissionDenied):
        delete_delivery(delivery=delivery, actor=world.outsider)
    delete_delivery(delivery=delivery, actor=coach)
    assert not Delivery.objects.exists()


@time_machine.travel(NOW)
def test_opening_to_an_organization_outside_the_pack_or_someone_not_housed_is_refused(clea, world):
    stranger = PersonFactory(organization=world.org)
    with pytest.raises(ValidationError) as refused:
        open_to_provider(
            pack=clea["pack"],
            person=stranger,
            provider=world.other_org,
            consent_on=D(2026, 11, 20),
            actor=world.owner,
        )
    assert set(refused.value.message_dict) == {"provider", "person"}
    assert not Opening.objects.exists()


@time_machine.travel(NOW)
def test_an_entitlement_with_deliveries_cannot_be_deleted(clea, world):
    record_delivery(
        entitlement=clea["check"],
        person=clea["ines"],
        delivered_on=D(2026, 11, 20),
        quantity=1,
        unit_cost_cents=0,
        payer="other",
        actor=world.owner,
    )
    with pytest.raises(ValidationError):
        delete_entitlement(entitlement=clea["check"], actor=world.owner)
    delete_entitlement(entitlement=clea["transport"], actor=world.owner)
    assert list(clea["pack"].entitlements.values_list("label", flat=True)) == [
        "Repas",
        "Bilan de santé",
        "Séances de sport",
    ]


@time_machine.travel(NOW)
def test_anonymising_a_resident_blanks_the_reasons_keeps_the_figures_and_hides_them(clea, world):
    from ancrage.catalogue.queries import provider_openings
    from ancrage.privacy import retention

    open_to_provider(
        pack=clea["pack"],
        person=clea["ines"],
        provider=clea["provider"],
        consent_on=D(2026, 11, 20),
        actor=world.owner,
    )
    record_delivery(
        entitlement=clea["check"],
        person=clea["ines"],
        delivered_on=D(2026, 11, 20),
        quantity=2,
        unit_cost_cents=3000,
        payer="pack",
        reason_beyond="Inès Benali a perdu son premier bilan",
        actor=world.owner,
    )
    retention.anonymise(clea["ines"], today=D(2026, 11, 25))
    delivery = Delivery.objects.get()
    assert delivery.reason_beyond == ""
    assert (delivery.quantity, delivery.cost_cents) == (2, 6000)
    assert list(provider_openings(clea["provider"])) == []

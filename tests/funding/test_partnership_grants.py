"""A grant within an agreement between partners (seed 002, seed 004): its amount is kept once,
in the funding agreement, and read from there by the partnership's page and API; tying it to an
agreement that already states the funder's amount, or that the funder is not a party to, is
refused and nothing changes."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from ancrage.funding import services
from ancrage.funding.models import Agreement
from ancrage.partnerships.services import agreements as partnerships
from ancrage.partnerships.services.agreements import Party
from tests.accounts.factories import OrganizationFactory
from tests.api.clients import token_client
from tests.clients import client_of
from tests.funding.conftest import EUROS, agreement_of, member  # noqa: F401

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 2, 16, 10, tzinfo=datetime.UTC), tick=False):
        yield


def partnership(desk, *, funder_amount=None, with_funder=True, title="Logement des jeunes"):
    admin = desk.setdefault("cllaj_admin", member(desk["cllaj"], "admin"))
    landlord = desk.setdefault("landlord", OrganizationFactory(name="Pas-de-Calais Habitat"))
    parties = [
        Party(desk["cllaj"], "operator", "Accompagner les jeunes logés"),
        Party(landlord, "landlord", "Réserver 12 logements"),
    ]
    if with_funder:
        parties.append(Party(desk["funder"], "funder", "Financer l'accompagnement", funder_amount))
    return partnerships.create_agreement(
        organization=desk["cllaj"],
        title=title,
        purpose="Loger et accompagner les jeunes du territoire.",
        starts_on=D(2025, 1, 1),
        ends_on=D(2027, 12, 31),
        parties=parties,
        actor=admin,
    )


def test_the_grant_shows_in_the_partnership_with_its_one_amount(desk):
    grant, shared = agreement_of(desk), partnership(desk)
    decider = client_of(desk["decider"])
    detail = decider.get(reverse("funding:agreement_detail", args=[grant.pk])).content.decode()
    assert "Rattacher à une convention de partenariat" in detail
    assert f'<option value="{shared.pk}">Logement des jeunes</option>' in detail
    response = decider.post(
        reverse("funding:agreement_partnership", args=[grant.pk]),
        {"partner_agreement": shared.pk},
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.partner_agreement == shared

    # the partnership's page reads the amount from the grant: 2 × 25,000 €
    page = client_of(desk["cllaj_admin"]).get(
        reverse("agreements:agreement_detail", args=[shared.pk])
    )
    text = page.content.decode()
    assert "Subventions rattachées" in text and "subvention" in text
    assert "50\u202f000,00\u00a0€" in text
    assert reverse("funding:agreement_detail", args=[grant.pk]) in text  # the CLLAJ is party
    # the landlord's members see the amount, not a link to a grant they cannot open
    landlord_admin = member(desk["landlord"], "admin")
    text = (
        client_of(landlord_admin)
        .get(reverse("agreements:agreement_detail", args=[shared.pk]))
        .content.decode()
    )
    assert "50\u202f000,00\u00a0€" in text
    assert reverse("funding:agreement_detail", args=[grant.pk]) not in text

    api = token_client(desk["cllaj_admin"]).get(f"/api/v1/partner-agreements/{shared.pk}/")
    assert api.json()["grants"] == [
        {
            "funder": desk["funder"].pk,
            "beneficiary": desk["cllaj"].pk,
            "starts_on": "2025-01-01",
            "ends_on": "2026-12-31",
            "total_cents": 50_000 * EUROS,
        }
    ]

    # untied: the partnership no longer shows it
    decider.post(reverse("funding:agreement_partnership", args=[grant.pk]), {})
    grant.refresh_from_db()
    assert grant.partner_agreement is None
    text = (
        client_of(desk["cllaj_admin"])
        .get(reverse("agreements:agreement_detail", args=[shared.pk]))
        .content.decode()
    )
    assert "Subventions rattachées" not in text


def test_an_amount_stated_twice_or_a_funder_outside_is_refused(desk):
    grant = agreement_of(desk)
    typed = partnership(desk, funder_amount=30_000 * EUROS, title="Avec montant")
    without = partnership(desk, with_funder=False, title="Sans le financeur")
    landlord_admin = member(desk["landlord"], "admin")
    elsewhere = partnerships.create_agreement(
        organization=desk["landlord"],
        title="Sans le CLLAJ",
        purpose="Adapter des logements.",
        starts_on=D(2025, 1, 1),
        ends_on=D(2027, 12, 31),
        parties=[Party(desk["landlord"], "landlord"), Party(desk["funder"], "funder")],
        actor=landlord_admin,
    )
    with pytest.raises(ValidationError) as refused:
        services.link_partner_agreement(
            agreement=grant, partner_agreement=typed, actor=desk["decider"]
        )
    assert "fixe déjà un montant pour Département" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        services.link_partner_agreement(
            agreement=grant, partner_agreement=elsewhere, actor=desk["decider"]
        )
    assert "CLLAJ de l'Artois n'est pas partie à « Sans le CLLAJ »" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:  # the funder is no party: it is not shown
        services.link_partner_agreement(
            agreement=grant, partner_agreement=without, actor=desk["decider"]
        )
    assert refused.value.messages == ["Convention de partenariat inconnue."]
    # the beneficiary reads the grant but does not decide on it
    with pytest.raises(PermissionDenied):
        services.link_partner_agreement(
            agreement=grant, partner_agreement=typed, actor=desk["cllaj_admin"]
        )
    page = client_of(desk["decider"]).post(
        reverse("funding:agreement_partnership", args=[grant.pk]),
        {"partner_agreement": typed.pk},
    )
    assert page.status_code == 400
    assert "fixe déjà un montant" in page.content.decode()
    assert not Agreement.objects.filter(partner_agreement__isnull=False).exists()


def test_the_api_ties_and_unties_as_the_funder_only(desk):
    grant, shared = agreement_of(desk), partnership(desk)
    url = f"/api/v1/agreements/{grant.pk}/partnership/"
    assert (
        token_client(desk["counsellor"])
        .post_json(url, {"partner_agreement": shared.pk})
        .status_code
        == 403
    )
    other_funder = member(OrganizationFactory(name="Région", kind="funder"), "funder")
    assert (
        token_client(other_funder).post_json(url, {"partner_agreement": shared.pk}).status_code
        == 404
    )
    assert Client().post(url, {"partner_agreement": shared.pk}).status_code in (401, 403)
    api = token_client(desk["decider"])
    unknown = api.post_json(url, {"partner_agreement": 999_999})
    assert unknown.status_code == 400 and "partner_agreement" in unknown.json()
    assert not Agreement.objects.filter(partner_agreement__isnull=False).exists()
    tied = api.post_json(url, {"partner_agreement": shared.pk})
    assert tied.status_code == 200 and tied.json()["partner_agreement"] == shared.pk
    untied = api.post_json(url, {"partner_agreement": None})
    assert untied.status_code == 200 and untied.json()["partner_agreement"] is None


def test_the_partnerships_list_reads_grants_in_constant_queries(desk, count_queries):
    first = partnership(desk)
    services.link_partner_agreement(
        agreement=agreement_of(desk), partner_agreement=first, actor=desk["decider"]
    )
    api = token_client(desk["cllaj_admin"])

    def listing():
        api.get("/api/v1/partner-agreements/")  # the token's lookup, cached, out of the count
        return count_queries(lambda: api.get("/api/v1/partner-agreements/"))

    before = listing()
    for n in range(3):
        more = partnership(desk, title=f"Convention {n}")
        services.link_partner_agreement(
            agreement=agreement_of(desk), partner_agreement=more, actor=desk["decider"]
        )
    assert listing() == before
    listed = api.get("/api/v1/partner-agreements/").json()["results"]
    assert len(listed) == 4 and all(len(row["grants"]) == 1 for row in listed)

"""Who to refer to: only organizations that follow people, one's own département first, with
what they offer, their desks and how fast they answer."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ancrage.accounts.enums import OrganizationKind
from ancrage.support.models import Referral
from ancrage.support.services import send_referral
from tests.accounts.factories import OrganizationFactory
from tests.core.factories import TerritoryFactory
from tests.people.factories import PersonFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory
from tests.support.factories import DeskFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _late_november():
    with time_machine.travel(datetime.datetime(2026, 11, 25, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def network(world):
    pas_de_calais = TerritoryFactory(kind="departement", code="62", name="Pas-de-Calais")
    rhone = TerritoryFactory(kind="departement", code="69", name="Rhône")
    arras = TerritoryFactory(code="62041", name="Arras", departement=pas_de_calais)
    lyon = TerritoryFactory(code="69123", name="Lyon", departement=rhone)
    world.org.commune = arras
    world.org.save()
    world.other_org.commune = lyon
    world.other_org.save()
    near = OrganizationFactory(
        name="Zénith Habitat", kind=OrganizationKind.SOCIAL_LANDLORD, commune=arras
    )
    funder = OrganizationFactory(name="Département (financeur)", kind=OrganizationKind.FUNDER)
    ParticipantFactory(
        program=ProgramFactory(name="CLLAJ (Pas-de-Calais)"), organization=near, role="partner"
    )
    DeskFactory(organization=near, name="Permanence de Lens", schedule="mardi 9 h – 12 h")
    for days in (2, 4, 9):
        ReferralFactory(
            receiver=near,
            sent_on=datetime.date(2026, 10, 1),
            decided_on=datetime.date(2026, 10, 1) + datetime.timedelta(days=days),
            status="accepted",
        )
    return near, funder


def page_of(user, url, data=None):
    client = Client()
    client.force_login(user)
    return client.get(url, data)


def test_the_form_offers_only_organizations_following_people_own_departement_first(world, network):
    near, funder = network
    person = PersonFactory(organization=world.org)
    page = page_of(world.owner, reverse("support:referral_create", args=[person.pk])).text
    # A text box with suggestions, never a list of every organization of the platform.
    assert "Zénith Habitat" not in page
    assert "module=support" in page
    suggestions = page_of(
        world.owner,
        reverse("accounts:organization_suggest"),
        {"champ": "receiver", "module": "support", "receiver": "a"},
    ).text
    assert "Département (financeur)" not in suggestions
    assert suggestions.index("Zénith Habitat — Bailleur social, Arras (62)") < suggestions.index(
        "Toit Partagé Rhône — CLLAJ, Lyon (69)"
    )
    # Chosen in the directory: the form comes back with it filled in.
    page = page_of(
        world.owner,
        reverse("support:referral_create", args=[person.pk]),
        {"structure": near.pk},
    ).text
    assert 'value="Zénith Habitat — Bailleur social, Arras (62)"' in page


def test_a_funder_cannot_receive_a_referral_and_nothing_is_written(world, network):
    _near, funder = network
    person = PersonFactory(organization=world.org)
    with pytest.raises(ValidationError) as raised:
        send_referral(
            person=person,
            receiver=funder,
            purpose="Logement",
            shared_fields=["last_name", "first_name"],
            consent_on=datetime.date(2026, 11, 1),
            actor=world.owner,
        )
    assert "n'accompagne pas de personnes sur Ancrage" in str(raised.value)
    assert not Referral.objects.filter(receiver=funder).exists()


def test_the_directory_says_what_each_offers_and_how_fast_it_answers(world, network):
    person = PersonFactory(organization=world.org, first_name="Inès")
    page = page_of(world.owner, reverse("support:partner_directory"), {"personne": person.pk}).text
    assert "Zénith Habitat" in page and "Toit Partagé Rhône" in page
    listed = page[page.index("<main") :]
    assert "Département (financeur)" not in listed and "CLLAJ de l&#x27;Artois</h2>" not in listed
    assert "CLLAJ (Pas-de-Calais)" in page
    assert "Permanence de Lens" in page and "mardi 9 h – 12 h" in page
    assert "4 jours en médiane, sur 3 orientations de l'année" in page
    near = network[0]
    link = reverse("support:referral_create", args=[person.pk]) + f"?structure={near.pk}"
    assert f'href="{link}">Orienter Inès ici</a>' in page


def test_the_directory_is_searchable_without_accents_and_filtered(world, network):
    url = reverse("support:partner_directory")
    page = page_of(world.owner, url, {"q": "zenith"}).text
    assert "Zénith Habitat" in page and "Toit Partagé Rhône" not in page
    page = page_of(world.owner, url, {"q": "lyon"}).text  # by commune
    assert "Toit Partagé Rhône" in page and "Zénith Habitat" not in page
    page = page_of(world.owner, url, {"departement": "69", "type": "cllaj"}).text
    assert "Toit Partagé Rhône" in page and "Zénith Habitat" not in page


@pytest.mark.parametrize(("persona", "status"), [("owner", 200), ("colleague", 200)])
def test_the_team_reads_the_directory(world, network, persona, status):
    assert (
        page_of(getattr(world, persona), reverse("support:partner_directory")).status_code == status
    )


def test_anonymous_visitors_log_in_first(client):
    response = client.get(reverse("support:partner_directory"))
    assert response.status_code == 302 and "/compte/login/" in response["Location"]


def test_the_directory_keeps_a_constant_number_of_queries(world, network, count_queries):
    client = Client()
    client.force_login(world.owner)
    url = reverse("support:partner_directory")
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for n in range(8):
        other = OrganizationFactory(name=f"Association {n}")
        DeskFactory(organization=other)
        ReferralFactory(receiver=other, status="accepted", decided_on=datetime.date(2026, 11, 2))
    assert count_queries(lambda: client.get(url)) == few

"""A residence manager defines the apprentices' pack and books an arrival; the sport provider's
member, in a second browser, records a session for the apprentice opened to it; the remaining
entitlement drops on the manager's page; the provider opens no one else."""

import pytest
from django.utils import timezone

from ancrage.accounts.enums import Role
from ancrage.catalogue.models import Delivery
from ancrage.housing import services as housing
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.browser.conftest import login
from tests.catalogue.factories import make_service
from tests.people.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clea(transactional_db):
    manager_org = OrganizationFactory(name="Résidences Alternance Loire")
    manager = MembershipFactory(
        organization=manager_org, role=Role.ADMIN, user__email="gestion@exemple.fr"
    ).user
    residence = housing.create_residence(
        organization=manager_org,
        **{"name": "Résidence Carnot", "kind": "apprentices"},
        actor=manager,
    )
    housing.create_unit(
        residence=residence,
        **{"reference": "T1-01", "typology": "t1", "monthly_rent": 390, "weekly_price": 105},
        actor=manager,
    )
    unit = housing.create_unit(
        residence=residence,
        **{"reference": "T1-02", "typology": "t1", "monthly_rent": 390, "weekly_price": 105},
        actor=manager,
    )
    provider_org = OrganizationFactory(name="Sport Solidaire Loire", kind="service_provider")
    provider_admin = MembershipFactory(organization=provider_org, role=Role.ADMIN).user
    coach = MembershipFactory(
        organization=provider_org, role=Role.PARTNER, user__email="coach@exemple.fr"
    ).user
    make_service(
        provider_org, provider_admin, name="Séances de sport encadrées", eligibility_zone=["france"]
    )
    lea = PersonFactory(organization=manager_org, first_name="Léa", last_name="Martin")
    # Another apprentice, housed too but never opened to the provider.
    other = PersonFactory(organization=manager_org, first_name="Hugo", last_name="Petit")
    housing.book_open_ended(
        person=other,
        bed=unit.beds.get(),
        starts_on=timezone.localdate().replace(day=1),
        actor=manager,
    )
    return manager, coach, residence, lea, other


def test_a_provider_records_a_session_and_the_managers_page_shows_what_is_left(
    clea, live_server, page, assert_accessible, screenshot_dir
):
    manager, coach, residence, lea, other = clea
    first_of_month = timezone.localdate().replace(day=1)
    login(page, live_server, manager)

    # The pack and its entitlement.
    page.goto(f"{live_server.url}/services/packs/nouveau/")
    page.get_by_label("Nom du pack").fill("Pack CLEA")
    page.get_by_label("Résidence Carnot").check()
    page.get_by_role("button", name="Créer le pack").click()
    page.get_by_role("heading", name="Pack CLEA", level=1).wait_for()
    pack_url = page.url
    assert_accessible(page)
    page.get_by_role("link", name="Ajouter un droit").click()
    page.get_by_label("Intitulé").fill("Séances de sport")
    page.get_by_label("Catégorie").select_option(label="Sport")
    page.get_by_label("Quantité").fill("4")
    page.get_by_label("Période").select_option(label="par mois")
    page.get_by_label("Service du catalogue").select_option(
        label="Séances de sport encadrées — Sport Solidaire Loire"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Ajouter le droit").click()
    page.get_by_text("Droit ajouté au pack.").wait_for()

    # Léa arrives: two whole months from the first of this month.
    page.goto(f"{live_server.url}/residences/{residence.pk}/reserver/")
    field = page.get_by_role("combobox", name="Occupant·e (obligatoire)", exact=True)
    field.press_sequentially("Léa", delay=30)
    option = page.locator("#personnes-suggestions option").first
    option.wait_for(state="attached")
    field.fill(option.get_attribute("value"))
    studio = page.locator("#id_bed option", has_text="T1-01 — T1").get_attribute("value")
    page.get_by_label("Logement").select_option(value=studio)
    page.get_by_label("Des mois entiers").check()
    page.get_by_label("À partir du").fill(f"{first_of_month:%Y-%m-%d}")
    page.get_by_label("Nombre de mois").fill("2")
    page.get_by_role("button", name="Réserver").click()
    page.wait_for_load_state("networkidle")

    # Her pack: 4 sessions this month, none used; opened to the provider with her consent.
    page.goto(pack_url)
    page.get_by_role("link", name="Léa MARTIN").click()
    remaining = page.locator('[data-reste="Séances de sport"]')
    assert remaining.inner_text() == "4"
    page.get_by_role("combobox", name="Prestataire").select_option(label="Sport Solidaire Loire")
    page.get_by_role("button", name="Ouvrir avec son accord").click()
    page.get_by_text("Sport Solidaire Loire voit désormais les droits de Léa M.").wait_for()
    assert_accessible(page)
    resident_url = page.url

    # The provider's member, in a second browser.
    browser = page.context.browser
    second = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 390, "height": 900}
    )
    provider = second.new_page()
    provider.set_default_timeout(15_000)
    login(provider, live_server, coach)
    provider.goto(f"{live_server.url}/services/prestataire/")
    provider.get_by_role("link", name="Léa M.").click()
    body = provider.locator("main").inner_text()
    assert "Martin" not in body and "MARTIN" not in body and "Hugo" not in body
    provider.get_by_label("Quantité").fill("1")
    provider.get_by_label("Coût unitaire (€)").fill("8,00")
    provider.get_by_role("button", name="Enregistrer la prestation").click()
    provider.get_by_text("Prestation enregistrée.").wait_for()
    assert provider.locator('[data-reste="Séances de sport"]').inner_text() == "3"
    assert_accessible(provider)
    provider.screenshot(path=f"{screenshot_dir}/pack-prestataire-390.png", full_page=True)

    # Every other door is shut to the provider.
    for url in (
        f"/personnes/{lea.pk}/",
        f"/personnes/{other.pk}/",
        f"{pack_url.removeprefix(live_server.url)}",
        f"{pack_url.removeprefix(live_server.url)}residents/{other.pk}/",
    ):
        response = provider.goto(f"{live_server.url}{url}")
        assert response.status in (403, 404), url
    second.close()

    # The manager sees the session used.
    page.goto(resident_url)
    assert page.locator('[data-reste="Séances de sport"]').inner_text() == "3"
    assert "Sport Solidaire Loire" in page.locator("main").inner_text()
    page.screenshot(path=f"{screenshot_dir}/pack-gestionnaire-1280.png", full_page=True)
    assert Delivery.objects.get().person == lea

"""A CLLAJ counsellor's day, as far as the support module goes today: an anonymous call, a youth
received, a request for support, the move to support and the exit to autonomous housing."""

import pytest

from ancrage.accounts.enums import Role
from ancrage.people.models import Person
from ancrage.support.models import Contact, Enrollment
from tests.accounts.factories import MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def counsellor(transactional_db):
    """Created before the browser starts (see test_counsellor_journey.py)."""
    cllaj = OrganizationFactory(name="CLLAJ de l'Artois")
    return MembershipFactory(
        organization=cllaj,
        role=Role.COUNSELLOR,
        user__email="conseil@exemple.fr",
        user__first_name="Inès",
    ).user


def login(page, live_server, client_cookies):
    page.context.add_cookies(
        [{"name": "sessionid", "value": client_cookies, "url": live_server.url}]
    )


def test_a_counsellors_day(
    counsellor, live_server, page, assert_accessible, screenshot_dir, client
):
    client.force_login(counsellor)
    login(page, live_server, client.cookies["sessionid"].value)

    page.goto(live_server.url + "/accueil/contacts/nouveau/")
    assert_accessible(page)
    page.get_by_label("Logement").check()
    page.get_by_label("Tranche d'âge").select_option(label="18–20 ans")
    page.get_by_role("button", name="Enregistrer le contact").click()
    assert page.get_by_text("Contact enregistré").is_visible()

    page.goto(live_server.url + "/personnes/nouvelle/")
    assert_accessible(page)
    page.get_by_role("textbox", name="Nom (obligatoire)", exact=True).fill("Lefèvre")
    page.get_by_role("textbox", name="Prénom (obligatoire)", exact=True).fill("Élodie")
    page.get_by_label("Date de naissance").fill("2005-04-12")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_label("Ressource 1 : type").select_option(label="Salaire d'apprenti·e")
    page.get_by_label("Ressource 1 : montant mensuel (€)").fill("850")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_role("heading", name="Élodie LEFÈVRE").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Enregistrer une demande d'accompagnement").click()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer la demande").click()
    assert page.get_by_role("heading", name="Accompagnement de Élodie LEFÈVRE").is_visible()
    assert_accessible(page)

    page.get_by_role("combobox", name="Étape suivante (obligatoire)").select_option(
        label="Commencer l'accompagnement"
    )
    page.get_by_role("button", name="Enregistrer l'étape").click()
    assert page.get_by_text("Étape enregistrée : Accompagnement.").is_visible()

    page.get_by_role("combobox", name="Étape suivante (obligatoire)").select_option(
        label="Enregistrer la sortie"
    )
    page.get_by_label("Situation à la sortie").select_option(
        label="Logement autonome — parc social"
    )
    page.get_by_label("Ménage prêt au logement ordinaire").check()
    page.get_by_role("button", name="Enregistrer l'étape").click()
    assert page.get_by_text("Étape enregistrée : Sorti·e.").is_visible()
    page.screenshot(path=f"{screenshot_dir}/accompagnement-sortie.png", full_page=True)
    assert_accessible(page)

    page.goto(live_server.url + "/accueil/contacts/")
    assert page.get_by_text("Anonyme, 18–20 ans").is_visible()
    assert_accessible(page)
    assert Contact.objects.count() == 1
    assert Person.objects.get().resources.get().monthly_amount == 850
    assert Enrollment.objects.get().status == "exited"

"""A CLLAJ counsellor's day: an anonymous call, a youth received, a request for support, an
assessment, two steps, a referral a partner accepts, and the exit to autonomous housing."""

import re

import pytest

from ancrage.accounts.enums import Role
from ancrage.accounts.models import User
from ancrage.people.models import Person
from ancrage.support.models import Contact, Enrollment, Referral
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def counsellor(transactional_db):
    """Created before the browser starts (see test_counsellor_journey.py)."""
    cllaj = OrganizationFactory(name="CLLAJ de l'Artois")
    partner = OrganizationFactory(name="Toit Partagé Rhône")
    MembershipFactory(
        organization=partner, role=Role.COUNSELLOR, user__email="partenaire@exemple.fr"
    )
    return MembershipFactory(
        organization=cllaj,
        role=Role.COUNSELLOR,
        user__email="conseil@exemple.fr",
        user__first_name="Inès",
    ).user


@pytest.fixture
def partner_user(counsellor):
    return User.objects.get(email="partenaire@exemple.fr")


def combobox(page, name):
    return page.get_by_role("combobox", name=f"{name} (obligatoire)", exact=True)


def test_a_counsellors_day(
    counsellor, partner_user, live_server, page, assert_accessible, screenshot_dir
):
    login(page, live_server, counsellor)

    # An anonymous phone call about housing.
    page.goto(live_server.url + "/accueil/contacts/nouveau/")
    assert_accessible(page)
    page.get_by_label("Logement").check()
    page.get_by_label("Tranche d'âge").select_option(label="18–20 ans")
    page.get_by_role("button", name="Enregistrer le contact").click()
    assert page.get_by_text("Contact enregistré").is_visible()

    # A young woman comes in: her file.
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
    person_url = page.url

    # She objects to her file going to one partner: the form comes when its box opens.
    assert page.locator("#opposition a[href='?formulaire=opposition#opposition']").count() == 1
    page.get_by_text("Enregistrer une opposition").click()
    partner = combobox(page, "Structure partenaire")
    partner.wait_for(state="visible")
    assert_accessible(page)
    partner.press_sequentially("toit part", delay=30)
    option = page.locator("#id_partner-suggestions option").first
    option.wait_for(state="attached")
    partner.fill(option.get_attribute("value"))
    page.get_by_label("Opposition exprimée le").fill("2026-11-02")
    page.get_by_role("button", name="Enregistrer l'opposition").click()
    assert page.get_by_text("enregistrée", exact=False).first.is_visible()
    assert page.get_by_text("Toit Partagé Rhône").first.is_visible()
    page.get_by_role(
        "button", name="Retirer l'opposition au partage avec Toit Partagé Rhône"
    ).click()

    # A request for support, then an assessment.
    page.get_by_role("link", name="Enregistrer une demande d'accompagnement").click()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer la demande").click()
    assert page.get_by_role("heading", name="Accompagnement d'Élodie LEFÈVRE").is_visible()
    enrollment_url = page.url
    page.get_by_role("link", name="Nouveau diagnostic").click()
    assert_accessible(page)
    page.get_by_label("Coût du logement (€/mois)").fill("300")
    page.get_by_label("Charges fixes (€/mois)").fill("150")
    combobox(page, "Priorité — Logement").select_option(label="Forte")
    page.get_by_label("Pas de complémentaire santé").check()
    page.get_by_role("button", name="Enregistrer le diagnostic").click()
    assert page.get_by_text("Diagnostic enregistré.").is_visible()
    assert page.get_by_text("400,00\u00a0€").is_visible()  # reste à vivre: 850 − 300 − 150

    # Two steps.
    for kind in ("Demande de logement social (SNE)", "Dossier APL / CAF"):
        page.get_by_text("Ajouter une démarche").click()
        combobox(page, "Démarche").select_option(label=kind)
        page.get_by_role("button", name="Ajouter la démarche").click()
        assert page.get_by_text(f"Démarche ajoutée : {kind}.").is_visible()
    assert_accessible(page)

    # A referral to a partner, who accepts it.
    page.goto(person_url)
    page.get_by_role("link", name="Orienter vers un partenaire").click()
    assert_accessible(page)
    # Typed, then chosen among the suggestions the server sends as one types.
    receiver = combobox(page, "Structure qui reçoit")
    receiver.press_sequentially("toit part", delay=30)
    option = page.locator("#id_receiver-suggestions option").first
    option.wait_for(state="attached")
    assert option.get_attribute("value") == "Toit Partagé Rhône — CLLAJ"
    receiver.fill(option.get_attribute("value"))
    page.get_by_label("Objet de l'orientation").fill(
        "Logement temporaire en attendant le logement social."
    )
    page.get_by_role("button", name="Envoyer l'orientation").click()
    assert page.get_by_text("Orientation envoyée à Toit Partagé Rhône.").is_visible()
    referral_url = page.url

    login(page, live_server, partner_user)
    page.goto(live_server.url + "/accueil/orientations/")
    assert page.get_by_text("à traiter").is_visible()
    assert_accessible(page)
    page.goto(referral_url)
    assert_accessible(page)
    page.get_by_role("button", name="Accepter et ouvrir une demande d'accompagnement").click()
    assert page.get_by_text("Orientation acceptée").is_visible()

    login(page, live_server, counsellor)
    page.goto(referral_url)
    assert page.get_by_text(re.compile(r"Acceptée le \d\d/\d\d/\d{4}")).is_visible()

    # Support starts, then the exit to social housing.
    page.goto(enrollment_url)
    combobox(page, "Étape suivante").select_option(label="Commencer l'accompagnement")
    page.get_by_role("button", name="Enregistrer l'étape").click()
    assert page.get_by_text("Étape enregistrée : Accompagnement.").is_visible()
    combobox(page, "Étape suivante").select_option(label="Enregistrer la sortie")
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
    assert (
        Person.objects.get(organization__name="CLLAJ de l'Artois").resources.get().monthly_amount
        == 850
    )
    assert Enrollment.objects.get(organization__name="CLLAJ de l'Artois").status == "exited"
    assert Enrollment.objects.get(organization__name="Toit Partagé Rhône").status == "requested"
    assert Referral.objects.get().status == "accepted"

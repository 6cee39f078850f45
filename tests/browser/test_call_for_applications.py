"""A call for applications in the browser: the funder writes and publishes it, a residence
manager applies with its budget and hands the application in, the reviewer declares no conflict
and scores it on the grid, the call's page ranks it. (The closing second is tested with a frozen
clock in tests/funding/test_calls.py.)"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ancrage.accounts.enums import OrganizationKind, Role
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.core.territories import load_territories
from ancrage.funding.models import Application, Call, Review
from ancrage.programs.enums import ParticipantRole
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.browser.conftest import login
from tests.programs.factories import ParticipantFactory, ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def parties(settings, tmp_path):
    settings.ANCRAGE_DOCUMENTS_DIR = str(tmp_path / "documents")
    load_territories(only_departements=["62"])
    arras = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="62041")
    funder = OrganizationFactory(name="Région (test)", kind=OrganizationKind.FUNDER, commune=arras)
    manager = OrganizationFactory(
        name="Résidences Jeunes Actifs", kind=OrganizationKind.RESIDENCE_MANAGER, commune=arras
    )
    program = ProgramFactory(name="CLEA Pas-de-Calais")
    ParticipantFactory(program=program, organization=funder, role=ParticipantRole.FUNDER)
    decider = MembershipFactory(
        organization=funder, role=Role.FUNDER, user__first_name="Marc", user__last_name="Dubois"
    ).user
    applicant = MembershipFactory(
        organization=manager, role=Role.ADMIN, user__first_name="Inès", user__last_name="Roux"
    ).user
    return decider, applicant


def test_a_call_from_publication_to_a_scored_application(
    page, live_server, parties, assert_accessible, screenshot_dir, tmp_path
):
    decider, applicant = parties
    now = timezone.localtime()
    login(page, live_server, decider)
    page.goto(f"{live_server.url}/appels/suivi/")
    page.get_by_role("link", name="Nouvel appel").click()
    page.get_by_label("Dispositif").select_option(label="CLEA Pas-de-Calais")
    page.get_by_label("Titre").fill("Gestion de la résidence CLEA")
    page.get_by_label("Texte de l'appel").fill("Gérer une résidence de 60 logements.")
    page.get_by_label("Enveloppe totale (€)").fill("300000")
    page.get_by_label("Ouverture (heure de Paris)").fill(
        (now - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Clôture (heure de Paris)").fill(
        (now + datetime.timedelta(days=30)).strftime("%Y-%m-%dT18:00")
    )
    page.get_by_label("Gestionnaire de résidence").check()
    page.get_by_label("Pièces demandées").fill("Budget prévisionnel")
    page.get_by_label("Grille d'évaluation").fill("Qualité du projet ; 60 ; 5\nCoût ; 40 ; 10")
    page.get_by_label("Marc Dubois").check()
    page.get_by_role("button", name="Enregistrer en brouillon").click()
    page.get_by_text("Appel enregistré en brouillon").wait_for()
    page.get_by_role("button", name="Publier l'appel").click()
    page.get_by_text("Appel publié").wait_for()
    call = Call.objects.get()
    assert call.published_at is not None

    login(page, live_server, applicant)
    page.goto(f"{live_server.url}/appels/")
    page.get_by_role("link", name="Gestion de la résidence CLEA").click()
    assert_accessible(page)
    page.get_by_role("button", name="Commencer une candidature").click()
    page.get_by_text("Candidature commencée").wait_for()
    page.get_by_role("textbox", name="Projet").fill("Une équipe sur place deux jours par semaine.")
    page.get_by_label("Montant demandé par an (€)").fill("90000")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_text("Brouillon enregistré.").wait_for()
    page.get_by_role("button", name="Déposer la candidature").click()
    page.get_by_text("Pièce manquante : Budget prévisionnel.").wait_for()
    budget = tmp_path / "budget.pdf"
    budget.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.get_by_label("Fichier (PDF, PNG ou JPEG, 10 Mo au plus)").set_input_files(str(budget))
    page.get_by_role("button", name="Ajouter la pièce").click()
    page.get_by_text("Pièce ajoutée.").wait_for()
    page.get_by_role("button", name="Déposer la candidature").click()
    page.get_by_text("Candidature déposée").wait_for()
    assert Application.objects.get().status == "submitted"
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{screenshot_dir}/call-application-{width}.png", full_page=True)

    login(page, live_server, decider)
    page.goto(f"{live_server.url}/appels/suivi/{call.pk}/")
    page.get_by_role("link", name="Résidences Jeunes Actifs").click()
    page.get_by_label("Je déclare n'avoir aucun lien").check()
    page.get_by_label("Qualité du projet (sur 5, poids 60)").fill("4")
    page.get_by_label("Coût (sur 10, poids 40)").fill("11")
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    page.get_by_text("La valeur doit être inférieure ou égale à 10").or_(
        page.get_by_text("Assurez-vous que cette valeur est inférieure ou égale à 10")
    ).first.wait_for()
    assert not Review.objects.exists()
    page.get_by_label("Coût (sur 10, poids 40)").fill("5")
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    page.get_by_text("Évaluation enregistrée.").wait_for()
    page.goto(f"{live_server.url}/appels/suivi/{call.pk}/")
    page.get_by_role("cell", name="68,0").wait_for()
    assert_accessible(page)

"""A steering committee in the browser: the organizer creates it, seats the CFA's teacher and
someone without an account, holds a meeting and records a decision for the teacher; the teacher
(second browser) sees it on her home page and marks it done; the annual evaluation meeting opens
the year's report."""

import pytest

from tests.accounts.factories import MembershipFactory
from tests.browser.conftest import login
from tests.browser.layout import layout_problems
from tests.programs.factories import ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _look(page, screenshot_dir, name):
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{screenshot_dir}/committee-{name}-{width}.png", full_page=True)
        assert layout_problems(page) == [], (name, width)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_decision_reaches_its_owner_and_the_evaluation_opens_the_report(
    world, live_server, page, assert_accessible, screenshot_dir
):
    program = ParticipantFactory(organization=world.org, program__name="CLEA Loire").program
    school = ParticipantFactory(program=program, role="partner").organization
    teacher = MembershipFactory(
        organization=school,
        role="partner",
        user__first_name="Inès",
        user__last_name="Roux",
        user__email="ines.roux@cfa.fr",
    ).user
    login(page, live_server, world.owner)
    page.goto(f"{live_server.url}/dispositifs/")
    page.get_by_role("link", name="Comités").click()
    page.get_by_role("link", name="Nouveau comité").click()
    page.get_by_label("Nom").fill("Comité de pilotage CLEA")
    page.get_by_role("button", name="Créer le comité").click()
    page.get_by_text("Comité créé").wait_for()

    page.get_by_text("Ajouter un membre…").click()
    page.get_by_label("Compte Ancrage").select_option(label="Inès Roux — ines.roux@cfa.fr")
    page.get_by_label("Membre depuis").fill("2026-01-05")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    page.get_by_text("Membre ajouté").wait_for()
    page.get_by_text("Ajouter un membre…").click()
    page.locator("input[name=name]").fill("Jacques Perrin")
    page.locator("input[name=represents]").fill("Département de la Loire")
    page.get_by_label("Membre depuis").fill("2026-01-05")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    page.get_by_text("Membre ajouté").wait_for()

    page.get_by_text("Nouvelle réunion…").click()
    page.locator("select[name=kind]").select_option(label="Évaluation annuelle")
    page.get_by_label("Date").fill("2026-03-12")
    page.get_by_label("Année évaluée").fill("2025")
    page.get_by_role("button", name="Créer la réunion").click()
    page.get_by_text("Réunion créée").wait_for()
    page.get_by_text("Nouvelle décision…").click()
    page.locator("input[name=text]").fill("Transmettre le calendrier 2027 du CFA")
    page.locator("select[name=owner]").select_option(label="Inès Roux")
    page.locator("input[name=due_on]").fill("2026-12-15")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("Décision enregistrée").wait_for()
    page.get_by_label("Inès Roux").check()
    page.get_by_label("Jacques Perrin (Département de la Loire)").check()
    page.locator("textarea[name=minutes]").fill("Le comité approuve le bilan 2025.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Compte rendu enregistré").wait_for()
    assert_accessible(page)
    _look(page, screenshot_dir, "meeting")
    meeting_url = page.url
    page.get_by_role("link", name="Bilan annuel 2025 de CLLAJ de l'Artois").click()
    page.get_by_role("heading", level=1).wait_for()
    assert "/indicateurs/bilan/" in page.url and "2025" in page.url
    page.goto(meeting_url)
    page.get_by_role("link", name="Comité de pilotage CLEA").click()
    _look(page, screenshot_dir, "committee")

    # The teacher, in her own browser, finds the decision on her home page.
    other = page.context.browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    teacher_page = other.new_page()
    teacher_page.set_default_timeout(15_000)
    login(teacher_page, live_server, teacher)
    teacher_page.goto(f"{live_server.url}/")
    panel = teacher_page.locator("#mes-decisions")
    assert "Transmettre le calendrier 2027 du CFA" in panel.inner_text()
    assert_accessible(teacher_page)
    _look(teacher_page, screenshot_dir, "home")
    panel.get_by_role("link", name="Transmettre le calendrier 2027 du CFA").click()
    teacher_page.get_by_role("button", name="Faite aujourd'hui").click()
    teacher_page.get_by_text("Décision faite").wait_for()
    teacher_page.goto(f"{live_server.url}/")
    assert teacher_page.locator("#mes-decisions").count() == 0
    other.close()

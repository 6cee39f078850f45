"""1000 LIANES in the browser: the operator's coordinator imports a landlord's file, writes the
rule « 75 ans et plus, seul, étage sans ascenseur », which scores and segments it, assigns the
segment to a local association, whose counsellor calls the target, records consent and opens
their file with a home-adaptation pathway. Every page at 1366 and 390 px, no layout problem."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ancrage.accounts.enums import OrganizationKind, Role
from ancrage.indicators.rollup import refresh_stale, refresh_year
from ancrage.outreach import services
from ancrage.outreach.models import Prospect
from ancrage.programs.enums import ParticipantRole, ProgramKind
from ancrage.support.models import Enrollment
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.browser.conftest import login
from tests.browser.layout import layout_problems
from tests.core.factories import TerritoryFactory
from tests.outreach.conftest import csv_of, line
from tests.programs.factories import ParticipantFactory, ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def network(transactional_db):
    epci = TerritoryFactory(kind="epci", code="200033579", name="CU d'Arras")
    TerritoryFactory(code="62041", name="Arras", epci=epci)
    TerritoryFactory(code="62498", name="Lens")
    operator = OrganizationFactory(name="Réseau Liens Seniors", kind=OrganizationKind.ASSOCIATION)
    landlord = OrganizationFactory(name="Artois Habitat", kind=OrganizationKind.SOCIAL_LANDLORD)
    relay = OrganizationFactory(name="Relais seniors d'Arras", kind=OrganizationKind.ASSOCIATION)
    program = ProgramFactory(
        name="1000 LIANES",
        kind=ProgramKind.SENIORS_AND_INSERTION,
        starts_on=datetime.date(2025, 1, 1),
    )
    ParticipantFactory(program=program, organization=operator, role=ParticipantRole.OPERATOR)
    ParticipantFactory(program=program, organization=relay, role=ParticipantRole.RELAY)
    coordinator = MembershipFactory(
        organization=operator,
        role=Role.COORDINATOR,
        user__first_name="Julien",
        user__last_name="Marchand",
    ).user
    counsellor = MembershipFactory(
        organization=relay,
        role=Role.COUNSELLOR,
        user__first_name="Élodie",
        user__last_name="Lefèvre",
    ).user
    outreach_list = services.create_list(
        organization=operator, program=program, name="Seniors du Pas-de-Calais", actor=coordinator
    )
    return outreach_list, landlord, relay, coordinator, counsellor, epci


def _look(page, screenshot_dir, name):
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{screenshot_dir}/outreach-{name}-{width}.png", full_page=True)
        assert layout_problems(page) == [], (name, width)
    page.set_viewport_size({"width": 1280, "height": 900})


def _adapted_homes_on_the_program_dashboard(page, live_server, program) -> str | None:
    """The program's « Logements adaptés » as its dashboard shows it (None: no figure yet)."""
    year = timezone.localdate().year
    page.goto(f"{live_server.url}/indicateurs/?dispositif={program.pk}&annee={year}")
    figure = page.locator("article:has(#ind-logements_adaptes) .anc-figure-value")
    return figure.inner_text().strip() if figure.count() else None


def test_from_a_landlords_file_to_an_adaptation_pathway(
    network, live_server, page, assert_accessible, tmp_path, screenshot_dir
):
    outreach_list, landlord, relay, coordinator, counsellor, epci = network
    path = tmp_path / "extrait.csv"
    path.write_text(
        csv_of(
            line(
                "AH-1",
                nom="Vasseur",
                prenom="Jeanine",
                naissance="12/04/1944",
                seul="oui",
                etage="3",
                ascenseur="non",
            ),
            line(
                "AH-2",
                nom="Caron",
                prenom="Marcel",
                naissance="1980",
                seul="non",
                etage="1",
                ascenseur="oui",
            ),
            line(
                "AH-3",
                nom="Nowak",
                prenom="Stanislas",
                naissance="1941",
                seul="oui",
                etage="2",
                ascenseur="non",
                commune="62498",
            ),
        ),
        encoding="utf-8",
    )
    login(page, live_server, coordinator)
    page.goto(f"{live_server.url}/reperage/{outreach_list.pk}/fichiers/")
    assert_accessible(page)
    page.get_by_label("Bailleur").select_option(label="Artois Habitat")
    page.locator("#id_file").set_input_files(str(path))
    page.get_by_label("Vérifier seulement", exact=False).uncheck()
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_text("Import terminé").wait_for()
    assert_accessible(page)
    _look(page, screenshot_dir, "import")
    assert Prospect.objects.count() == 3

    page.goto(f"{live_server.url}/reperage/{outreach_list.pk}/ciblage/")
    page.get_by_text("Nouvelle règle").click()
    page.get_by_label("Nom de la règle").fill("75 ans et plus, seul, étage sans ascenseur")
    page.get_by_label("Points").fill("40")
    page.get_by_label("Condition 1 : champ").select_option("age")
    page.get_by_label("Condition 1 : comparaison").select_option("gte")
    page.get_by_label("Condition 1 : valeur").fill("75")
    page.get_by_label("Condition 2 : champ").select_option("lives_alone")
    page.get_by_label("Condition 3 : champ").select_option("floor")
    page.get_by_label("Condition 3 : comparaison").select_option("gte")
    page.get_by_label("Condition 3 : valeur").fill("1")
    page.get_by_label("Condition 4 : champ").select_option("no_lift")
    page.get_by_role("button", name="Ajouter la règle").click()
    page.get_by_text("Règle ajoutée").wait_for()
    page.get_by_text("Nouveau segment").click()
    page.get_by_label("Nom du segment").fill("Priorité 1")
    page.get_by_label("Score minimal").fill("40")
    page.get_by_role("button", name="Ajouter le segment").click()
    page.get_by_text("Segment ajouté").wait_for()
    assert dict(Prospect.objects.values_list("tenant_ref", "score")) == {
        "AH-1": 40,
        "AH-2": 0,
        "AH-3": 40,
    }
    page.get_by_text("Nouvelle attribution").click()
    page.locator("#id_assignment-segment").select_option(label="Priorité 1")
    page.locator("#id_assignment-territory").fill(epci.code)
    page.get_by_label("Confié à").select_option(label="Relais seniors d'Arras")
    page.get_by_role("button", name="Confier").click()
    page.get_by_text("Attribution enregistrée").wait_for()
    assert_accessible(page)
    _look(page, screenshot_dir, "targeting")
    assert list(Prospect.objects.filter(assignee=relay).values_list("tenant_ref", flat=True)) == [
        "AH-1"
    ]

    # The association's counsellor sees only the target in her territory.
    login(page, live_server, counsellor)
    page.goto(f"{live_server.url}/reperage/")
    page.get_by_role("link", name="Seniors du Pas-de-Calais").click()
    page.get_by_role("link", name="Personnes à contacter").click()
    assert_accessible(page)
    _look(page, screenshot_dir, "targets")
    assert page.locator("#personnes-reperees tbody tr").count() == 1
    page.get_by_role("link", name="Jeanine Vasseur").click()
    page.get_by_label("Moyen").select_option("call")
    page.get_by_label("Résultat").select_option("interested")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Tentative enregistrée").wait_for()
    page.get_by_role("button", name="Noter son accord").click()
    page.get_by_text("Accord enregistré").wait_for()
    assert_accessible(page)
    _look(page, screenshot_dir, "target")
    page.get_by_label("Parcours").select_option("adaptation")
    page.get_by_role("button", name="Ouvrir le dossier").click()
    page.get_by_text("Dossier ouvert").wait_for()
    enrollment = Enrollment.objects.get()
    assert enrollment.pathway == "adaptation" and enrollment.organization == relay
    assert enrollment.person.last_name == "Vasseur"

    # The program's dashboard before the works: no adapted home yet.
    refresh_year(timezone.localdate().year)
    login(page, live_server, coordinator)
    program = outreach_list.program
    assert _adapted_homes_on_the_program_dashboard(page, live_server, program) is None

    # The counsellor plans the works, then records them done: the home is adapted that day.
    login(page, live_server, counsellor)
    today = timezone.localdate().isoformat()
    page.goto(f"{live_server.url}/accueil/accompagnements/{enrollment.pk}/")
    page.get_by_text("Prévoir des travaux").click()
    page.locator("#id_travaux-kind").select_option("grab_bars")
    page.get_by_label("Prévus le").fill(today)
    page.get_by_label("Coût estimé (€)").fill("420")
    page.get_by_role("button", name="Enregistrer les travaux prévus").click()
    page.get_by_text("Travaux prévus enregistrés").wait_for()
    page.get_by_text("Enregistrer la réalisation").click()
    page.get_by_label("Réalisés le").fill(today)
    page.get_by_label("Avec ces travaux, le logement est adapté à cette date").check()
    page.get_by_role("button", name="Travaux réalisés").click()
    page.get_by_text("Travaux réalisés : Barres d'appui").wait_for()
    shown = timezone.localdate().strftime("%d/%m/%Y")
    assert page.get_by_text(f"Logement adapté le {shown}").is_visible()
    assert_accessible(page)
    _look(page, screenshot_dir, "pathway")

    # The scheduled refresh runs; the national program's dashboard counts one adapted home more.
    refresh_stale()
    login(page, live_server, coordinator)
    assert _adapted_homes_on_the_program_dashboard(page, live_server, program) == "1"
    assert_accessible(page)
    _look(page, screenshot_dir, "program-dashboard")

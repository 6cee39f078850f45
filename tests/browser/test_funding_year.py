"""The CLLAJ's year with its funder, in the browser: an agreement of €25,000 with an objective, an
advance of €20,000 paid, the report handed in with its figures frozen, sent back with a comment,
handed in again and approved, then the €5,000 balance payable and paid. And when an objective is
missed, the page says why the balance is blocked."""

from __future__ import annotations

import datetime
import os

import pytest

from ancrage.accounts.enums import OrganizationKind, Role
from ancrage.funding.models import Installment
from ancrage.indicators.models import AnnualReport
from ancrage.indicators.rollup import refresh_year
from ancrage.programs.enums import ParticipantRole
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.browser.conftest import login
from tests.programs.factories import ParticipantFactory, ProgramFactory
from tests.support.factories import ContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAST_YEAR = datetime.datetime.now(datetime.UTC).year - 1


@pytest.fixture
def desk():
    cllaj = OrganizationFactory(name="CLLAJ de l'Artois", kind=OrganizationKind.CLLAJ)
    funder = OrganizationFactory(name="Département du Pas-de-Calais", kind=OrganizationKind.FUNDER)
    program = ProgramFactory(name="CLLAJ 62", starts_on=datetime.date(LAST_YEAR, 1, 1))
    ParticipantFactory(program=program, organization=cllaj, role=ParticipantRole.OPERATOR)
    ParticipantFactory(program=program, organization=funder, role=ParticipantRole.FUNDER)
    for month in (3, 6, 9):
        ContactFactory(
            organization=cllaj,
            channel="phone",
            occurred_at=datetime.datetime(LAST_YEAR, month, 2, 10, tzinfo=datetime.UTC),
        )
    refresh_year(LAST_YEAR)
    decider = MembershipFactory(
        organization=funder, role=Role.FUNDER, user__first_name="Marc", user__last_name="Dubois"
    ).user
    coordinator = MembershipFactory(
        organization=cllaj,
        role=Role.COORDINATOR,
        user__first_name="Nadia",
        user__last_name="Benali",
    ).user
    return cllaj, decider, coordinator


def _agreement(page, live_server, objective: int) -> str:
    """The funder types the agreement, the objective and the advance; returns its address."""
    page.goto(f"{live_server.url}/conventions/")
    page.get_by_role("link", name="Nouvelle convention").click()
    page.get_by_label("Structure bénéficiaire").select_option(label="CLLAJ de l'Artois")
    page.get_by_label("Dispositif").select_option(label="CLLAJ 62")
    page.get_by_label("Objet").fill("Accueil et accompagnement des jeunes vers le logement")
    page.get_by_label("Début").fill(f"{LAST_YEAR}-01-01")
    page.get_by_label("Fin").fill(f"{LAST_YEAR + 1}-12-31")
    page.get_by_label("Montant par an (€)").fill("25000")
    page.get_by_role("button", name="Enregistrer la convention").click()
    page.get_by_text("Convention enregistrée.").wait_for()
    address = page.url
    page.get_by_text("Fixer un objectif").click()
    page.locator("#objectif_year").select_option(str(LAST_YEAR))
    page.locator("#objectif_indicator").select_option(label="Contacts téléphoniques et par e-mail")
    page.locator("#objectif_value").fill(str(objective))
    page.get_by_role("button", name="Enregistrer l'objectif").click()
    page.get_by_text("Objectif enregistré.").wait_for()
    page.get_by_text("Prévoir un versement").click()
    page.locator("#versement_year").select_option(str(LAST_YEAR))
    page.locator("#versement_kind").select_option("advance")
    page.locator("#versement_amount").fill("20000,01")
    page.locator("#versement_planned_on").fill(f"{LAST_YEAR}-03-01")
    page.get_by_role("button", name="Prévoir le versement").click()
    page.get_by_text("L'avance dépasse 80 % du montant de l'année").wait_for()
    page.locator("#versement_amount").fill("20000")
    page.get_by_role("button", name="Prévoir le versement").click()
    page.get_by_text("Versement prévu.").wait_for()
    page.get_by_role("button", name=f"Enregistrer le versement : Avance {LAST_YEAR}").click()
    page.get_by_text("Avance : versé.").wait_for()
    page.get_by_text("Prévoir un versement").click()
    page.locator("#versement_year").select_option(str(LAST_YEAR))
    page.locator("#versement_kind").select_option("balance")
    page.locator("#versement_amount").fill("5000")
    page.locator("#versement_planned_on").fill(f"{LAST_YEAR + 1}-04-01")
    page.get_by_role("button", name="Prévoir le versement").click()
    page.get_by_text("Versement prévu.").wait_for()
    return address


def test_the_cllaj_year_with_its_funder(page, live_server, desk, assert_accessible, screenshot_dir):
    cllaj, decider, coordinator = desk
    report = f"{live_server.url}/indicateurs/bilan/{cllaj.pk}/{LAST_YEAR}/"
    login(page, live_server, decider)
    agreement = _agreement(page, live_server, objective=3)
    assert page.get_by_text(f"Le bilan {LAST_YEAR} n'est pas approuvé").is_visible()
    assert_accessible(page)

    login(page, live_server, coordinator)
    page.goto(report)
    page.get_by_role("button", name="Remettre le bilan au financeur").click()
    page.get_by_text("Bilan remis au financeur").first.wait_for()
    assert AnnualReport.objects.get().frozen["contacts_telephone_mail"] == 3

    login(page, live_server, decider)
    page.goto(report)
    page.get_by_label("Renvoyer pour compléments").check()
    page.get_by_label("Commentaire").fill("Ajoutez l'analyse des freins rencontrés.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("Bilan renvoyé à la structure").wait_for()

    login(page, live_server, coordinator)
    page.goto(report)
    assert page.get_by_text("Ajoutez l'analyse des freins rencontrés.").first.is_visible()
    page.get_by_label("Freins rencontrés").fill("Peu de T1 dans le parc social.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_role("button", name="Remettre le bilan au financeur").click()
    page.get_by_text("Bilan remis au financeur").first.wait_for()

    login(page, live_server, decider)
    page.goto(report)
    page.get_by_label("Approuver le bilan").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("Bilan approuvé.").wait_for()
    assert_accessible(page)
    page.goto(agreement)
    assert page.get_by_text("payable").first.is_visible()
    page.screenshot(path=os.path.join(screenshot_dir, "convention-cllaj.png"), full_page=True)

    login(page, live_server, coordinator)
    page.goto(agreement)
    page.get_by_role("button", name=f"Demander le versement : Solde {LAST_YEAR}").click()
    page.get_by_text("Solde : demandé.").wait_for()
    login(page, live_server, decider)
    page.goto(agreement)
    page.get_by_role("button", name=f"Enregistrer le versement : Solde {LAST_YEAR}").click()
    page.get_by_text("Solde : versé.").wait_for()
    assert sorted((i.kind, i.amount_cents, i.status) for i in Installment.objects.all()) == [
        ("advance", 2_000_000, "paid"),
        ("balance", 500_000, "paid"),
    ]


def test_a_missed_objective_blocks_the_balance_and_says_so(
    page, live_server, desk, assert_accessible
):
    cllaj, decider, coordinator = desk
    login(page, live_server, decider)
    agreement = _agreement(page, live_server, objective=4)
    login(page, live_server, coordinator)
    page.goto(f"{live_server.url}/indicateurs/bilan/{cllaj.pk}/{LAST_YEAR}/")
    page.get_by_role("button", name="Remettre le bilan au financeur").click()
    login(page, live_server, decider)
    page.goto(f"{live_server.url}/indicateurs/bilan/{cllaj.pk}/{LAST_YEAR}/")
    page.get_by_label("Approuver le bilan").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("Bilan approuvé.").wait_for()
    page.goto(agreement)
    reason = (
        "Objectif « Contacts téléphoniques et par e-mail » : 3 pour 4 (75 %), il en faut 100 %."
    )
    assert page.get_by_text(reason).is_visible()
    page.get_by_role("button", name=f"Enregistrer le versement : Solde {LAST_YEAR}").click()
    assert page.get_by_role("alert").filter(has_text="il en faut 100 %").first.is_visible()
    assert Installment.objects.get(kind="balance").status == "planned"
    assert_accessible(page)

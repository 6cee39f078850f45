"""A funder follows its program from the national figure down to one organization and opens its
annual report, without ever meeting a name; every page passes axe-core."""

import os

import pytest

from ancrage.accounts.enums import Role
from ancrage.indicators.rollup import refresh_year
from tests.accounts.factories import MembershipFactory
from tests.browser.conftest import login
from tests.indicators.conftest import Year, build_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAMES = ("Yanis", "Martin", "MARTIN", "Léa", "Hugo", "Zoé", "Inès")


@pytest.fixture
def year(transactional_db) -> Year:
    """The hand-built year, committed (the live server reads it on another connection)."""
    return build_year()


@pytest.fixture
def funder(year):
    refresh_year(2026)
    return MembershipFactory(
        organization=year.funder,
        role=Role.FUNDER,
        user__email="financeur@exemple.fr",
        user__first_name="Financeur",
        user__last_name="Testeur",
    ).user, year


def test_funder_drills_down_to_an_organization_and_its_annual_report(
    page, live_server, funder, assert_accessible, screenshot_dir
):
    funder, hand_built = funder
    login(page, live_server, funder)
    page.goto(f"{live_server.url}/indicateurs/?annee=2026")
    assert page.get_by_role("heading", name="Indicateurs 2026").is_visible()
    assert page.get_by_text("CLLAJ 62").first.is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Hauts-de-France").click()
    page.get_by_role("heading", name="Par département, 2026").wait_for()
    page.get_by_role("link", name="Pas-de-Calais").click()
    page.get_by_role("heading", name="Par structure, 2026").wait_for()
    table = page.get_by_role(
        "table",
        name="Par structure : principaux indicateurs 2026. Choisissez une ligne pour le détail.",
    )
    assert "Association de Lens" in table.inner_text()
    page.screenshot(
        path=os.path.join(screenshot_dir, "financeur-par-structure.png"), full_page=True
    )
    assert_accessible(page)
    page.get_by_role("link", name="CLLAJ de l'Artois").click()
    page.get_by_role("heading", name="Accueil, information, accompagnement (CLLAJ)").wait_for()
    page.get_by_text("Par commune").first.click()
    assert page.get_by_role("cell", name="moins de 11").first.is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Bilan annuel 2026").click()
    page.get_by_role("heading", name="Bilan annuel 2026").wait_for()
    assert page.get_by_role("link", name="Télécharger en PDF").is_visible()
    assert page.locator("textarea").count() == 0  # the funder reads, the team writes
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger en XLSX").click()
    assert download.value.suggested_filename == "bilan-annuel-2026-cllaj-de-lartois.xlsx"
    for name in NAMES:
        assert name not in page.content()

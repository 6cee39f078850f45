"""A coordinator brings last year's records from a spreadsheet: three bad lines are named in the
report, nothing is written in all-or-nothing mode, the valid lines land in the other mode."""

import pytest

from ancrage.accounts.enums import Role
from ancrage.people.models import Person
from ancrage.support.models import Contact
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.browser.conftest import login
from tests.core.factories import TerritoryFactory
from tests.imports.files import CONTACTS, PERSONS, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD = {
    "Personnes": [
        *PERSONS,
        ["P4", "", "Sans nom", "01/01/2000", "", ""],
        ["P5", "Lune", "Zoé", "32/01/2000", "", ""],
    ],
    "Contacts": [
        *CONTACTS,
        ["C9", "06/01/2025 10:00", "pigeon", "logement", "information", "", ""],
    ],
}


@pytest.fixture
def coordinator(transactional_db):
    cllaj = OrganizationFactory(name="CLLAJ de l'Artois")
    TerritoryFactory(code="62498", name="Lens")
    return MembershipFactory(
        organization=cllaj, role=Role.COORDINATOR, user__email="coord@exemple.fr"
    ).user


def _send(page, live_server, path, *, check_only: bool, valid_only: bool = False):
    page.goto(live_server.url + "/reprise/")
    page.locator("#id_file").set_input_files(str(path))
    if valid_only:
        page.get_by_label("Lignes valides seulement", exact=False).check()
    box = page.get_by_label("Vérifier seulement", exact=False)
    box.check() if check_only else box.uncheck()
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_url("**/reprise/*/")


def test_three_bad_lines(
    coordinator, live_server, page, assert_accessible, tmp_path, screenshot_dir
):
    path = tmp_path / "reprise-2025.xlsx"
    path.write_bytes(xlsx(BAD))
    login(page, live_server, coordinator)
    page.goto(live_server.url + "/reprise/")
    assert_accessible(page)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{screenshot_dir}/import-home-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.set_viewport_size({"width": 1280, "height": 900})

    # A check first: the report names the three lines, their column and why.
    _send(page, live_server, path, check_only=True)
    assert_accessible(page)
    page.get_by_text("Vérification terminée : rien n'a été écrit. 3 lignes refusées").wait_for()
    rows = page.locator("#lignes-refusees li")
    assert rows.count() == 3
    assert [rows.nth(i).locator(".ligne").inner_text() for i in range(3)] == ["5", "6", "6"]
    assert "pigeon" in rows.nth(2).inner_text()
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{screenshot_dir}/import-report-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not Person.objects.exists()

    # All or nothing: nothing at all is written.
    _send(page, live_server, path, check_only=False)
    page.get_by_text("Rien n'a été écrit : 3 lignes refusées en mode tout ou rien").wait_for()
    assert (Person.objects.count(), Contact.objects.count()) == (0, 0)

    # Valid lines only: the others land.
    _send(page, live_server, path, check_only=False, valid_only=True)
    page.get_by_text("Import terminé : les données sont écrites, sauf 3 lignes refusées").wait_for()
    assert_accessible(page)
    assert sorted(Person.objects.values_list("external_ref", flat=True)) == ["P1", "P2", "P3"]
    assert Contact.objects.count() == 4

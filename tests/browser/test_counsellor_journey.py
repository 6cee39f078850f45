"""A counsellor logs in with password and TOTP code, switches organization and sees the home page."""

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from ancrage.accounts.enums import Role
from tests.accounts.factories import MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_now() -> str:
    return format_hotp_value(hotp_value(SECRET, next(iter(yield_hotp_counters_from_time()))))


@pytest.fixture
def counsellor(transactional_db):
    """Created before the browser starts: ORM calls made while Playwright runs use another context
    and leave a connection open that PostgreSQL would refuse to drop at the end of the run."""
    cllaj = OrganizationFactory(name="CLLAJ de l'Artois")
    association = OrganizationFactory(name="Toit Partagé Rhône")
    first = MembershipFactory(
        organization=cllaj,
        role=Role.COUNSELLOR,
        user__email="elodie@exemple.fr",
        user__first_name="Élodie",
        user__mfa_secret=SECRET,
    )
    MembershipFactory(organization=association, role=Role.COUNSELLOR, user=first.user)
    return first.user


def test_counsellor_logs_in_switches_organization_and_sees_home(
    counsellor, live_server, page, assert_accessible, screenshot_dir
):
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Connexion à Ancrage").is_visible()
    assert_accessible(page)
    page.get_by_label("Courriel").fill("elodie@exemple.fr")
    page.get_by_label("Mot de passe").fill("un-mot-de-passe-solide")
    page.get_by_role("button", name="Se connecter").click()

    page.wait_for_url("**/2fa/authenticate/")
    assert_accessible(page)
    page.get_by_label("Code").fill(totp_now())
    page.get_by_role("button", name="Valider le code").click()

    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", name="Bonjour Élodie").is_visible()
    assert page.get_by_text("CLLAJ de l'Artois · Conseiller·ère").is_visible()
    page.screenshot(path=f"{screenshot_dir}/accueil-conseillere.png", full_page=True)
    assert_accessible(page)

    page.get_by_label("Vous travaillez pour").select_option(
        label="Toit Partagé Rhône — Conseiller·ère"
    )
    page.get_by_role("button", name="Changer").click()
    page.wait_for_load_state()
    assert (
        page.get_by_role("status")
        .filter(has_text="Vous travaillez maintenant pour Toit Partagé Rhône")
        .is_visible()
    )
    assert page.get_by_text("Toit Partagé Rhône · Conseiller·ère").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Ma structure").click()
    page.get_by_role("link", name="voir l'équipe").click()
    assert page.get_by_role("heading", name="Équipe de Toit Partagé Rhône").is_visible()
    page.screenshot(path=f"{screenshot_dir}/equipe.png", full_page=True)
    assert_accessible(page)

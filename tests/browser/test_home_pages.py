"""Each persona logs in and finds on the home page what they came for, at 1366 px and on a phone,
accessible and laid out (screenshots in test-results/home-<persona>-<width>.png)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ancrage.accounts.enums import OrganizationKind, Role
from ancrage.housing.models import monday_of
from ancrage.housing.services import book_weeks
from ancrage.support.services import schedule_appointment
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.browser.layout import layout_problems
from tests.housing.factories import BedFactory
from tests.people.factories import PersonFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory
from tests.support.factories import EnrollmentFactory, ReferralFactory, StepFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "un-mot-de-passe-solide"


def member(organization, role, email):
    # Without a second factor (the demo setting below): a code typed at the edge of its
    # 30-second window may be refused, and the two-factor login has its own test
    # (test_counsellor_journey).
    user = UserFactory(email=email)
    MembershipFactory(organization=organization, role=role, user=user)
    return user


def counsellor():
    cllaj = OrganizationFactory(name="CLLAJ de l'Artois")
    user = member(cllaj, Role.COUNSELLOR, "elodie@exemple.fr")
    person = PersonFactory(organization=cllaj, first_name="Lucas", last_name="Bernard")
    schedule_appointment(
        person=person,
        counsellor=user,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        actor=user,
    )
    StepFactory(
        enrollment=EnrollmentFactory(organization=cllaj, referent=user, person=person),
        due_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    return user, "heading", "Démarches en retard", "Lucas BERNARD"


def manager():
    organization = OrganizationFactory(kind=OrganizationKind.RESIDENCE_MANAGER)
    user = member(organization, Role.ADMIN, "claire@exemple.fr")
    bed = BedFactory(unit__residence__organization=organization, unit__reference="T1-07")
    person = PersonFactory(organization=organization, first_name="Maëlys", last_name="Blanc")
    book_weeks(person=person, bed=bed, weeks=[monday_of(timezone.localdate())], actor=user)
    return user, "heading", "Cette semaine dans vos résidences", "Maëlys BLANC"


def social_service():
    service = OrganizationFactory(kind=OrganizationKind.CORPORATE_SOCIAL_SERVICE)
    user = member(service, Role.COUNSELLOR, "karima@exemple.fr")
    ReferralFactory(
        sender=service,
        receiver=OrganizationFactory(name="Toit Partagé Rhône"),
        person=PersonFactory(organization=service, first_name="Samir", last_name="Benoît"),
    )
    return user, "heading", "Orienter un·e salarié·e", "Samir BENOÎT"


def funder():
    funder_org = OrganizationFactory(kind=OrganizationKind.FUNDER)
    program = ProgramFactory(name="CLLAJ (Pas-de-Calais)")
    ParticipantFactory(program=program, organization=funder_org, role="funder")
    ParticipantFactory(
        program=program, organization=OrganizationFactory(name="CLLAJ de l'Artois"), role="operator"
    )
    user = member(funder_org, Role.FUNDER, "marc@exemple.fr")
    return user, "link", "Tableau de bord", "CLLAJ de l'Artois"


def school_partner():
    school = OrganizationFactory(kind=OrganizationKind.SCHOOL, name="CFA des Métiers du Forez")
    program = ProgramFactory(name="Logement des alternants (Loire)")
    ParticipantFactory(program=program, organization=school, role="partner")
    ParticipantFactory(
        program=program,
        organization=OrganizationFactory(kind="residence_manager", name="Résidences Loire"),
        role="operator",
    )
    user = member(school, Role.PARTNER, "sophie@exemple.fr")
    return user, "heading", "Vos dispositifs", "Porté par Résidences Loire"


def operator():
    user = UserFactory(email="alex@exemple.fr", is_staff=True)
    return user, "link", "Pages d'exploitation", "Exploitation de la plateforme"


SCENARIOS = {
    "conseiller": counsellor,
    "gestion": manager,
    "social": social_service,
    "financeur": funder,
    "partenaire": school_partner,
    "exploitation": operator,
}


@pytest.fixture(params=list(SCENARIOS))
def scenario(request, transactional_db, settings):
    """Built before the browser starts (see test_counsellor_journey)."""
    settings.DEMO = True  # no second factor asked (see ``member``)
    return request.param, *SCENARIOS[request.param]()


def test_each_persona_finds_on_the_home_page_what_they_came_for(
    scenario, live_server, page, assert_accessible, screenshot_dir
):
    persona, user, role, name, text = scenario
    page.goto(live_server.url + "/compte/login/")
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server.url + "/")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        target = page.get_by_role(role, name=name).first
        assert target.is_visible(), f"{persona} : « {name} » introuvable"
        assert page.get_by_text(text).first.is_visible(), f"{persona} : « {text} » introuvable"
        assert layout_problems(page) == []
        page.screenshot(path=f"{screenshot_dir}/home-{persona}-{width}.png", full_page=True)
    assert_accessible(page)

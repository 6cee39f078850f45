"""Each persona finds on the home page what they came for, and an organization sees only the
modules its kind uses."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ancrage.accounts.enums import OrganizationKind, Role
from ancrage.accounts.services import update_organization
from ancrage.housing.services import book_weeks
from ancrage.support.services import schedule_appointment
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.housing.factories import BedFactory
from tests.people.factories import PersonFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory
from tests.support.factories import EnrollmentFactory, ReferralFactory, StepFactory

pytestmark = pytest.mark.django_db

# A Wednesday morning in Paris.
NOW = datetime.datetime(2026, 11, 25, 8, 30, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(autouse=True)
def _wednesday():
    with time_machine.travel(NOW, tick=False):
        yield


def home_of(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def member(organization, role=Role.COUNSELLOR, first_name="Élodie"):
    return MembershipFactory(organization=organization, role=role, user__first_name=first_name).user


def test_the_counsellor_sees_today_tomorrow_overdue_steps_and_referrals_to_answer(world):
    counsellor = member(world.org)
    person = PersonFactory(organization=world.org, first_name="Lucas", last_name="Bernard")
    today_at_nine = NOW.replace(hour=9, minute=0)
    schedule_appointment(
        person=person, counsellor=counsellor, starts_at=today_at_nine, actor=counsellor
    )
    schedule_appointment(
        person=PersonFactory(organization=world.org, first_name="Chloé", last_name="Moreau"),
        counsellor=counsellor,
        starts_at=today_at_nine + datetime.timedelta(days=1),
        actor=counsellor,
    )
    schedule_appointment(  # in three days: not on the home page
        person=PersonFactory(organization=world.org, first_name="Zoé", last_name="Petit"),
        counsellor=counsellor,
        starts_at=today_at_nine + datetime.timedelta(days=3),
        actor=counsellor,
    )
    StepFactory(
        enrollment=EnrollmentFactory(organization=world.org, referent=counsellor, person=person),
        due_on=datetime.date(2026, 11, 1),
    )
    ReferralFactory(
        sender=world.other_org,
        receiver=world.org,
        shared_data={"first_name": "Inès", "last_name": "Roux"},
    )
    page = home_of(counsellor)
    today = page.index("Aujourd'hui")
    tomorrow = page.index("Demain")
    assert today < page.index("Lucas BERNARD") < tomorrow < page.index("Chloé MOREAU")
    assert "Zoé" not in page
    assert 'Démarches en retard <span class="badge text-bg-danger">1</span>' in page
    assert "Inès ROUX" in page and "Toit Partagé Rhône" in page
    assert 'data-shortcut="n"' in page and reverse("support:contact_create") in page


def test_the_counsellor_home_keeps_a_constant_number_of_queries(world, count_queries):
    counsellor = member(world.org)
    client = Client()
    client.force_login(counsellor)

    def add(n):
        for _ in range(n):
            person = PersonFactory(organization=world.org)
            schedule_appointment(
                person=person,
                counsellor=counsellor,
                starts_at=NOW + datetime.timedelta(hours=2),
                actor=counsellor,
            )
            StepFactory(
                enrollment=EnrollmentFactory(
                    organization=world.org, referent=counsellor, person=person
                ),
                due_on=datetime.date(2026, 11, 1),
            )
            ReferralFactory(sender=world.other_org, receiver=world.org)
            ReferralFactory(sender=world.org, receiver=world.other_org)

    add(1)
    client.get(reverse("core:home"))  # the first visit stores the current organization
    few = count_queries(lambda: client.get(reverse("core:home")))
    add(12)
    assert count_queries(lambda: client.get(reverse("core:home"))) == few


def test_the_employer_social_service_is_asked_to_refer_an_employee_and_sees_its_referrals(db):
    service = OrganizationFactory(kind=OrganizationKind.CORPORATE_SOCIAL_SERVICE)
    association = OrganizationFactory(name="Toit Partagé Rhône")
    social = member(service, first_name="Karima")
    ReferralFactory(
        sender=service,
        receiver=association,
        person=PersonFactory(organization=service, first_name="Samir", last_name="Benoît"),
        status="accepted",
        decided_on=datetime.date(2026, 11, 20),
    )
    page = home_of(social)
    assert page.index("Orienter un·e salarié·e") < page.index("Vos rendez-vous")
    assert f'action="{reverse("people:person_list")}"' in page
    assert "Samir BENOÎT" in page and "Acceptée" in page
    # Its menu has no residences, and the residences' pages are not there for it.
    assert reverse("housing:residence_list") not in page
    client = Client()
    client.force_login(social)
    assert client.get(reverse("housing:residence_list")).status_code == 404
    assert client.get(reverse("housing:residence_create")).status_code == 404
    assert client.get(reverse("people:person_list")).status_code == 200


def test_the_residence_manager_sees_the_weeks_arrivals_and_free_beds(db):
    manager_org = OrganizationFactory(kind=OrganizationKind.RESIDENCE_MANAGER)
    manager = member(manager_org, role=Role.ADMIN, first_name="Claire")
    bed = BedFactory(unit__residence__organization=manager_org, unit__reference="T1-07")
    BedFactory(unit__residence=bed.unit.residence, unit__reference="T1-08")
    person = PersonFactory(organization=manager_org, first_name="Maëlys", last_name="Blanc")
    book_weeks(person=person, bed=bed, weeks=[datetime.date(2026, 11, 23)], actor=manager)
    page = home_of(manager)
    arrivals = page.index("Arrivées")
    assert arrivals < page.index("Maëlys BLANC") < page.index("Départs")
    assert "T1-07" in page
    assert "Lits libres ce soir" in page and "1 <span" in page  # one of two beds is free


def test_a_residence_manager_without_units_is_told_how_to_start(db):
    manager_org = OrganizationFactory(kind=OrganizationKind.RESIDENCE_MANAGER)
    page = home_of(member(manager_org, role=Role.ADMIN))
    assert "Aucun logement enregistré" in page
    assert reverse("housing:residence_create") in page


def test_the_funder_sees_its_programs_figures_and_reports_to_read(db):
    funder_org = OrganizationFactory(kind=OrganizationKind.FUNDER)
    operator = OrganizationFactory(name="CLLAJ de l'Artois")
    program = ProgramFactory(name="CLLAJ (Pas-de-Calais)")
    ParticipantFactory(program=program, organization=funder_org, role="funder")
    ParticipantFactory(program=program, organization=operator, role="operator")
    page = home_of(member(funder_org, role=Role.FUNDER, first_name="Marc"))
    assert "CLLAJ (Pas-de-Calais)" in page
    assert f"{reverse('indicators:dashboard')}?dispositif={program.pk}" in page
    assert reverse("indicators:annual_report", args=[operator.pk, 2025]) in page
    assert reverse("people:person_list") not in page


def test_a_funder_of_no_program_is_told_what_to_do(db):
    funder_org = OrganizationFactory(kind=OrganizationKind.FUNDER)
    page = home_of(member(funder_org, role=Role.FUNDER))
    assert "Aucun dispositif financé" in page


def test_the_school_partner_sees_its_programs_and_who_runs_them(db):
    school = OrganizationFactory(kind=OrganizationKind.SCHOOL, name="CFA des Métiers du Forez")
    manager = OrganizationFactory(kind=OrganizationKind.RESIDENCE_MANAGER, name="Résidences Loire")
    program = ProgramFactory(name="Logement des alternants (Loire)")
    ParticipantFactory(program=program, organization=school, role="partner")
    ParticipantFactory(program=program, organization=manager, role="operator")
    page = home_of(member(school, role=Role.PARTNER, first_name="Sophie"))
    assert "Logement des alternants (Loire)" in page and "Porté par Résidences Loire" in page
    assert "Rien ne vous a encore été ouvert" in page
    # No menu entry that would end on an empty page.
    assert f'href="{reverse("indicators:dashboard")}"' not in page


def test_the_operator_is_led_to_the_operations_pages(db, user_factory, settings):
    settings.DEMO = True  # operators need a second factor elsewhere; not what is tested here
    operator = user_factory(is_staff=True, first_name="Alex")
    page = home_of(operator)
    assert "Exploitation de la plateforme" in page
    assert f'href="{reverse("admin:index")}"' in page
    assert "aucune structure" in page and "rattaché·e" not in page


def test_someone_without_an_organization_is_told_whom_to_ask(db, user_factory):
    page = home_of(user_factory(email="nouvelle@exemple.fr"))
    assert "Vous n'êtes rattaché·e à aucune structure" in page
    assert "nouvelle@exemple.fr" in page


def test_an_administrator_chooses_the_modules_and_the_menu_follows(world):
    client = Client()
    client.force_login(world.owner)
    url = reverse("accounts:organization_update", args=[world.org.pk])
    response = client.post(
        url, {"name": world.org.name, "siret": world.org.siret, "modules": ["support"]}
    )
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert world.org.modules == ["support"]
    page = client.get(reverse("core:home")).content.decode()
    assert reverse("people:person_list") in page
    assert reverse("housing:residence_list") not in page
    assert reverse("activities:activity_list") not in page
    assert client.get(reverse("activities:activity_list")).status_code == 404
    # Back to the kind's usual modules: stored as "the usual ones".
    client.post(
        url,
        {
            "name": world.org.name,
            "siret": world.org.siret,
            "modules": ["support", "housing", "activities", "outreach"],
        },
    )
    world.org.refresh_from_db()
    assert world.org.modules is None
    assert client.get(reverse("activities:activity_list")).status_code == 200


def test_modules_are_changed_through_the_api_with_the_same_checks(world):
    from tests.api.clients import token_client

    url = f"/api/v1/organizations/{world.org.pk}/"
    response = token_client(world.owner).patch_json(url, {"modules": ["support", "agenda"]})
    assert response.status_code == 400
    assert "modules" in response.json()
    world.org.refresh_from_db()
    assert world.org.modules is None
    response = token_client(world.owner).patch_json(url, {"modules": ["activities"]})
    assert response.status_code == 200
    assert response.json()["modules"] == ["activities"]
    assert token_client(world.colleague).patch_json(url, {"modules": []}).status_code == 403
    assert token_client(world.outsider).patch_json(url, {"modules": []}).status_code == 404


def test_an_unknown_module_is_refused_by_the_service_with_nothing_written(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        update_organization(organization=world.org, modules=["agenda"], name="X", actor=world.owner)
    assert "Module inconnu : agenda." in str(raised.value)
    world.org.refresh_from_db()
    assert world.org.modules is None and world.org.name == "CLLAJ de l'Artois"


def test_the_home_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_today_is_the_local_day(world):
    # Guards the fixture: the appointments above are placed on Paris's Wednesday.
    assert timezone.localdate() == datetime.date(2026, 11, 25)

"""The citizen pathway and residence-life indicators, every figure computed by hand: modules
validated by theme and by school, residents' participation per residence, residents satisfied —
on the dashboard of the apprentice-housing manager and of the intergenerational residence."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from ancrage.activities import services as activities
from ancrage.housing import services as housing
from ancrage.indicators.rollup import refresh_year
from ancrage.partnerships.services import pathways
from tests.accounts.factories import OrganizationFactory
from tests.housing.factories import BedFactory, ResidenceFactory
from tests.indicators.test_lianes import figure
from tests.indicators.test_residence_life_report import (  # noqa: F401 (fixtures)
    _today,
    at,
    client_of,
    lien,
    member,
)
from tests.people.factories import PersonFactory
from tests.programs.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def clea(settings):
    settings.DEMO = True
    manager = OrganizationFactory(name="Résidence des Alternants", kind="residence_manager")
    program = ParticipantFactory(organization=manager, program__name="CLEA").program
    staff = member(manager, "admin")
    school = OrganizationFactory(name="CFA du Forez", kind="school")
    partner = OrganizationFactory(name="Croix-Rouge", kind="association")
    residence = ResidenceFactory(organization=manager, name="Les Alternants")
    template = pathways.create_template(
        organization=manager,
        program=program,
        title="Parcours CLEA",
        residence=residence,
        clea_partner=school,
        actor=staff,
    )
    first_aid = template.modules.get(theme="first_aid")
    pathways.update_module(module=first_aid, delivered_by=partner, actor=staff)
    people = []
    for _ in range(2):
        person = PersonFactory(organization=manager)
        housing.book_open_ended(
            person=person,
            bed=BedFactory(unit__residence=residence, unit__organization=manager),
            starts_on=D(2026, 1, 5),
            actor=staff,
        )
        pathways.open_pathway(
            template=template, person=person, actor=staff, opened_on=D(2026, 9, 1)
        )
        people.append(person)
    sessions = {}
    for module in template.modules.all():
        sessions[module.theme] = activities.schedule_session(
            activity=module.activity,
            starts_at=at(D(2026, 11, 17), 9 + module.position),
            duration_minutes=120,
            place="Salle commune",
            actor=staff,
        )
        for person in people:
            activities.register(session=sessions[module.theme], person=person, actor=staff)
    with time_machine.travel(at(D(2026, 11, 20), 10), tick=False):
        # The first apprentice: first aid and posture; the second: first aid only.
        activities.record_attendance(session=sessions["first_aid"], person=people[0], actor=staff)
        activities.record_attendance(session=sessions["posture"], person=people[0], actor=staff)
        activities.record_attendance(session=sessions["first_aid"], person=people[1], actor=staff)
        refresh_year(2026)
    return {"manager": manager, "staff": staff}


def test_modules_validated_by_theme_and_by_school(clea):
    organization = clea["manager"]
    # Two pathways × five required modules = 10; validated: 2 + 1 = 3.
    assert figure("modules_parcours_valides", organization=organization) == 30.0
    assert (
        figure("modules_parcours_valides", organization=organization, category="theme:first_aid")
        == 100.0
    )
    assert (
        figure("modules_parcours_valides", organization=organization, category="theme:rights")
        == 0.0
    )
    assert (
        figure(
            "modules_parcours_valides",
            organization=organization,
            category="intervenant:Croix-Rouge",
        )
        == 100.0
    )
    # The school's four modules: posture once out of eight.
    assert (
        figure(
            "modules_parcours_valides",
            organization=organization,
            category="intervenant:CFA du Forez",
        )
        == 12.5
    )


def test_the_apprentice_housing_dashboard_shows_them(clea):
    page = client_of(clea["staff"]).get(
        reverse("indicators:dashboard"), {"structure": clea["manager"].pk, "annee": 2026}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Parcours citoyen et vie des résidences" in text
    assert "Modules du parcours citoyen validés" in text


def test_participation_and_satisfaction_of_the_intergenerational_residence(lien):  # noqa: F811
    refresh_year(2026)
    manager = lien["manager"]
    # Four residents, three came (the neighbour is not a resident).
    assert figure("participation_residents", organization=manager) == 75.0
    assert (
        figure("participation_residents", organization=manager, category="residence:Maison du Lien")
        == 75.0
    )
    # Question 1 only is a scale question answered: eleven answers, all 3 or 4.
    assert figure("satisfaction_residents", organization=manager) == 100.0
    page = (
        client_of(lien["staff"])
        .get(reverse("indicators:dashboard"), {"structure": manager.pk, "annee": 2026})
        .content.decode()
    )
    assert "Résident·es venu·es aux activités de leur résidence" in page
    assert "Résident·es satisfait·es (enquête annuelle)" in page


def test_the_annual_report_shows_the_pathway_completion(clea):
    from ancrage.indicators.reports import annual_report_data

    data = annual_report_data(clea["manager"], 2026)
    codes = [f.indicator.code for f in data.figures]
    assert "modules_parcours_valides" in codes
    page = client_of(clea["staff"]).get(
        reverse("indicators:annual_report", args=[clea["manager"].pk, 2026])
    )
    assert "Modules du parcours citoyen validés" in page.content.decode()

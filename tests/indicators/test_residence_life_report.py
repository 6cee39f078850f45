"""The annual report of an intergenerational residence's manager shows the residents' part in the
residence's activities and the survey's results — on the page, in the PDF and in the XLSX alike,
and withheld below 11 for the funder."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from ancrage.accounts.enums import OrganizationKind
from ancrage.activities import services as activities
from ancrage.activities.queries import residence_life
from ancrage.housing import services as housing
from ancrage.programs.enums import ParticipantRole
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.clients import client_of
from tests.housing.factories import BedFactory, ResidenceFactory
from tests.people.factories import PersonFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = datetime.datetime(2026, 11, 15, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def member(organization, role):
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=role)
    return user


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def lien(settings):
    settings.DEMO = True  # no second factor for the members made here
    manager = OrganizationFactory(name="Maisons du Lien", kind=OrganizationKind.ASSOCIATION)
    funder = OrganizationFactory(name="Département de la Somme", kind=OrganizationKind.FUNDER)
    program = ProgramFactory(name="Résidences intergénérationnelles", starts_on=D(2026, 1, 1))
    ParticipantFactory(program=program, organization=manager, role=ParticipantRole.OPERATOR)
    ParticipantFactory(program=program, organization=funder, role=ParticipantRole.FUNDER)
    staff = member(manager, "admin")
    residence = ResidenceFactory(
        organization=manager, name="Maison du Lien", kind="intergenerational"
    )
    residents = []
    for _ in range(4):
        person = PersonFactory(organization=manager)
        housing.book_open_ended(
            person=person,
            bed=BedFactory(unit__residence=residence, unit__organization=manager),
            starts_on=D(2026, 1, 5),
            actor=staff,
        )
        residents.append(person)
    neighbour = PersonFactory(organization=manager)  # comes to the workshops, not a resident
    workshop = activities.create_activity(
        organization=manager,
        kind="residence_life",
        title="Atelier mémoire",
        residence=residence,
        actor=staff,
    )
    first = activities.schedule_session(
        activity=workshop, starts_at=at(D(2026, 10, 6), 14), place="Salle commune", actor=staff
    )
    second = activities.schedule_session(
        activity=workshop, starts_at=at(D(2026, 10, 13), 14), place="Salle commune", actor=staff
    )
    activities.record_attendances(
        session=first, people=[residents[0], residents[1], neighbour], actor=staff
    )
    activities.record_attendances(session=second, people=[residents[0], residents[2]], actor=staff)
    survey = housing.create_survey(
        residence=residence,
        actor=staff,
        year=2026,
        opens_on=D(2026, 11, 1),
        closes_on=D(2026, 11, 30),
    )
    questions = list(survey.questions.all())
    # Question 1: six « 4 », five « 3 » → 3.5 ; question 6 (yes/no): seven « oui » → 64 %.
    for n in range(11):
        housing.submit_answers(
            survey=survey,
            answers={questions[0].pk: 4 if n < 6 else 3, questions[5].pk: 1 if n < 7 else 0},
            today=D(2026, 11, 15),
        )
    return {
        "manager": manager,
        "staff": staff,
        "funder": member(funder, "funder"),
        "survey": survey,
    }


def url(name, lien):
    return reverse(f"indicators:{name}", args=[lien["manager"].pk, 2026])


EXPECTED = [
    "Enquête de satisfaction : 11 réponses.",
    "Êtes-vous satisfait·e de votre logement ? — moyenne 3,5 sur 4 (11 réponses)",
    "Avez-vous noué des liens avec d'autres résident·es ? — oui : 64 % (11 réponses)",
]


def test_participation_hand_computed(lien):
    (life,) = residence_life(lien["manager"], 2026)
    # Four residents; three of them came (one twice); the neighbour is not a resident.
    assert (life.residents, life.participants, life.sessions) == (4, 3, 2)
    assert life.shown_rate == "75 %"
    assert life.survey_lines[:2] == EXPECTED[:2]
    assert EXPECTED[2] in life.survey_lines
    assert "Vous sentez-vous en sécurité dans la résidence ? — sans réponse" in life.survey_lines


def test_the_page_the_pdf_and_the_xlsx_show_the_same(lien):
    team = client_of(lien["staff"])
    page = team.get(url("annual_report", lien))
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert "Vie des résidences" in text
    assert (
        '<th scope="row" class="fw-normal">Maison du Lien</th><td class="text-end">4</td>'
        '<td class="text-end">3</td><td class="text-end fw-bold">75 %</td>'
        '<td class="text-end">2</td>'
    ) in text
    for line in EXPECTED:
        assert line.replace("'", "&#x27;") in text
    pdf = team.get(url("annual_report_pdf", lien))
    pdf_text = " ".join(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "Vie des résidences" in pdf_text
    assert "Maison du Lien 4 3 75 % 2" in pdf_text
    for line in EXPECTED:
        assert line in pdf_text
    workbook = load_workbook(io.BytesIO(team.get(url("annual_report_xlsx", lien)).content))
    rows = list(workbook["Vie des résidences"].iter_rows(values_only=True))
    assert rows[1] == ("Maison du Lien", "4", "3", "75 %", 2)
    assert {row[0] for row in rows} >= set(EXPECTED)


def test_the_funder_reads_small_counts_withheld(lien):
    page = client_of(lien["funder"]).get(url("annual_report", lien))
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert '<td class="text-end">moins de 11</td><td class="text-end">moins de 11</td>' in text
    assert "75 %" not in text
    # The survey has 11 answers: its aggregates are shown to the funder too.
    assert "moyenne 3,5 sur 4" in text

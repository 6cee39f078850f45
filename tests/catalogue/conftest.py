import datetime

import pytest

from ancrage.catalogue.services import add_entitlement, create_pack
from ancrage.core.territories import load_territories
from ancrage.housing.services import book_open_ended, book_weeks
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.catalogue.factories import make_service
from tests.housing.factories import BedFactory, ResidenceFactory, UnitFactory
from tests.people.factories import PersonFactory

D = datetime.date


@pytest.fixture
def communes(db):
    """The communes, EPCI and département of the Pas-de-Calais (Arras 62041, Lens 62498)."""
    load_territories(only_departements=["62"])


@pytest.fixture
def clea(world):
    """A CLEA residence of organization A with a pack from 1 January 2026; a sport provider (with
    a member); Inès arrives on Monday 16 November 2026 (open-ended); Tom, an apprentice, is
    booked for the weeks of 2 and 16 November only."""
    residence = ResidenceFactory(organization=world.org, name="Résidence Les Apprentis")
    beds = [BedFactory(unit=UnitFactory(residence=residence)) for _ in range(2)]
    provider = OrganizationFactory(name="Sport Solidaire Arras", kind="service_provider")
    provider_admin = MembershipFactory(organization=provider, role="admin").user
    coach = MembershipFactory(organization=provider, role="partner").user
    sport = make_service(
        provider, provider_admin, name="Séances de sport encadrées", eligibility_zone=["france"]
    )
    pack = create_pack(
        organization=world.org,
        residences=[residence],
        name="Pack CLEA",
        starts_on=D(2026, 1, 1),
        actor=world.owner,
    )
    meals = add_entitlement(
        pack=pack,
        category="catering",
        label="Repas",
        quantity=20,
        period="month",
        actor=world.owner,
    )
    sessions = add_entitlement(
        pack=pack,
        category="sport",
        label="Séances de sport",
        quantity=10,
        period="year",
        service=sport,
        actor=world.owner,
    )
    check = add_entitlement(
        pack=pack,
        category="health",
        label="Bilan de santé",
        quantity=1,
        period="stay",
        actor=world.owner,
    )
    transport = add_entitlement(
        pack=pack,
        category="mobility",
        label="Pass transport",
        quantity=1,
        period="week",
        actor=world.owner,
    )
    ines = PersonFactory(organization=world.org, first_name="Inès", last_name="Benali")
    tom = PersonFactory(organization=world.org, first_name="Tom", last_name="Girard")
    book_open_ended(person=ines, bed=beds[0], starts_on=D(2026, 11, 16), actor=world.owner)
    book_weeks(person=tom, bed=beds[1], weeks=[D(2026, 11, 2), D(2026, 11, 16)], actor=world.owner)
    return {
        "pack": pack,
        "residence": residence,
        "provider": provider,
        "provider_admin": provider_admin,
        "coach": coach,
        "meals": meals,
        "sessions": sessions,
        "check": check,
        "transport": transport,
        "ines": ines,
        "tom": tom,
    }

"""A hand-built year, 2026, whose every figure is written by hand in the tests.

Two organizations in the same program and the same département: the CLLAJ (Arras) and an
association (Lens). One young person, Yanis Martin born 2004-05-06, is followed by both (two rows,
same pseudonym). A residence manager (Arras) with two beds in service and one in works.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from ancrage.accounts.enums import OrganizationKind, Role
from ancrage.activities.enums import ActivityKind
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.core.territories import load_territories
from ancrage.housing.enums import BookingStatus, Granularity, LeaseKind, LeaseStatus, UnitStatus
from ancrage.housing.models import (
    Booking,
    BookingPeriod,
    Charge,
    Lease,
    Payment,
    ThirdPartyPayment,
)
from ancrage.programs.enums import ParticipantRole
from ancrage.support.enums import (
    AppointmentStatus,
    Channel,
    Direction,
    EnrollmentStatus,
    ExitOutcome,
)
from ancrage.support.models import Appointment, Exit
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.activities.factories import ActivityFactory, AttendanceFactory, SessionFactory
from tests.housing.factories import BedFactory, ResidenceFactory, UnitFactory
from tests.people.factories import PersonFactory
from tests.programs.factories import ParticipantFactory, ProgramFactory
from tests.shared import built_once_per_module, fresh_copy
from tests.support.factories import (
    ContactFactory,
    DeskFactory,
    EnrollmentFactory,
    ReferralFactory,
)

TODAY = datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


D = datetime.date


@dataclass
class Year:
    cllaj: object
    association: object
    manager: object
    funder: object
    landlord: object
    residence_org: object
    program: object
    arras: object
    lens: object
    yanis: object
    yanis_at_association: object


def _person(org, last, first, birth, **extra):
    return PersonFactory(
        organization=org, last_name=last, first_name=first, birth_date=birth, **extra
    )


def _enrollment(org, person, *, requested, started=None, ended=None, status=None, program=None):
    return EnrollmentFactory(
        organization=org,
        person=person,
        requested_on=requested,
        started_on=started,
        ended_on=ended,
        status=status
        or (
            EnrollmentStatus.EXITED
            if ended
            else EnrollmentStatus.SUPPORT
            if started
            else EnrollmentStatus.REQUESTED
        ),
        program=program,
    )


def build_year() -> Year:
    load_territories(only_departements=["62"])
    arras = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="62041")
    lens = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="62498")
    cllaj = OrganizationFactory(
        name="CLLAJ de l'Artois", kind=OrganizationKind.CLLAJ, commune=arras
    )
    association = OrganizationFactory(
        name="Association de Lens", kind=OrganizationKind.ASSOCIATION, commune=lens
    )
    manager = OrganizationFactory(
        name="Résidences d'Arras", kind=OrganizationKind.RESIDENCE_MANAGER, commune=arras
    )
    funder = OrganizationFactory(
        name="Département (test)", kind=OrganizationKind.LOCAL_AUTHORITY, commune=arras
    )
    landlord = OrganizationFactory(
        name="Artois Habitat", kind=OrganizationKind.SOCIAL_LANDLORD, commune=arras
    )
    residence_org = OrganizationFactory(
        name="Habitat Jeunes", kind=OrganizationKind.RESIDENCE_MANAGER, commune=arras
    )
    program = ProgramFactory(name="CLLAJ 62", starts_on=D(2025, 1, 1))
    ParticipantFactory(program=program, organization=cllaj, role=ParticipantRole.OPERATOR)
    ParticipantFactory(program=program, organization=association, role=ParticipantRole.PARTNER)
    ParticipantFactory(program=program, organization=funder, role=ParticipantRole.FUNDER)

    yanis = _person(cllaj, "Martin", "Yanis", D(2004, 5, 6), commune=arras)
    ines = _person(cllaj, "Benali", "Inès", D(2003, 1, 2), commune=lens, situation="student")
    lucas = _person(cllaj, "Petit", "Lucas", D(2006, 7, 8), commune=arras)
    noah = _person(cllaj, "Roux", "Noah", D(2005, 3, 4))
    lea = _person(cllaj, "Moreau", "Léa", D(2002, 9, 10))
    hugo = _person(cllaj, "Simon", "Hugo", D(2001, 11, 12))
    chloe = _person(cllaj, "Garcia", "Chloé", D(2004, 2, 3))
    adam = _person(cllaj, "Leroy", "Adam", D(2003, 4, 5))
    # The same young man, followed by the association too: another row, the same pseudonym.
    yanis_b = _person(association, "MARTIN", "yanis", D(2004, 5, 6), commune=arras)
    zoe = _person(association, "Vincent", "Zoé", D(2007, 6, 7))

    # Contacts at the CLLAJ. Counted: 3 phone calls (2 anonymous) and 2 e-mails.
    ContactFactory(organization=cllaj, channel=Channel.PHONE, occurred_at=at(D(2026, 3, 2)))
    ContactFactory(organization=cllaj, channel=Channel.PHONE, occurred_at=at(D(2026, 3, 3)))
    ContactFactory(
        organization=cllaj, channel=Channel.PHONE, occurred_at=at(D(2026, 4, 7)), person=ines
    )
    ContactFactory(organization=cllaj, channel=Channel.EMAIL, occurred_at=at(D(2026, 3, 4)))
    ContactFactory(
        organization=cllaj, channel=Channel.EMAIL, occurred_at=at(D(2026, 5, 5)), person=noah
    )
    # Not counted as contacts: an outgoing call, a call with a landlord, last year's call.
    ContactFactory(
        organization=cllaj,
        channel=Channel.PHONE,
        direction=Direction.OUTGOING,
        occurred_at=at(D(2026, 3, 5)),
    )
    ContactFactory(
        organization=cllaj, channel=Channel.PHONE, occurred_at=at(D(2026, 3, 6)), partner=landlord
    )
    ContactFactory(
        organization=cllaj, channel=Channel.EMAIL, occurred_at=at(D(2026, 6, 6)), partner=landlord
    )
    ContactFactory(organization=cllaj, channel=Channel.PHONE, occurred_at=at(D(2025, 12, 31)))
    # Received in person: Yanis three times (counts once), Inès at a decentralised desk, Lucas at an
    # honoured appointment; Noah's missed appointment is not counted; the anonymous walk-in of 13 May
    # counts once (nobody can tell whether they came again).
    for day in (D(2026, 3, 2), D(2026, 3, 9), D(2026, 4, 15)):
        ContactFactory(
            organization=cllaj, channel=Channel.WALK_IN, occurred_at=at(day), person=yanis
        )
    ContactFactory(
        organization=cllaj,
        channel=Channel.OUTREACH_DESK,
        desk=DeskFactory(organization=cllaj, commune=lens),
        occurred_at=at(D(2026, 5, 12)),
        person=ines,
    )
    ContactFactory(organization=cllaj, channel=Channel.WALK_IN, occurred_at=at(D(2026, 5, 13)))
    counsellor = UserFactory()
    MembershipFactory(user=counsellor, organization=cllaj, role=Role.COUNSELLOR)
    for person, status in ((lucas, AppointmentStatus.HONOURED), (noah, AppointmentStatus.MISSED)):
        Appointment.objects.create(
            organization=cllaj,
            person=person,
            counsellor=counsellor,
            starts_at=at(D(2026, 6, 10)),
            status=status,
            created_by=counsellor,
        )

    # Support. CLLAJ: Yanis (since February), Léa (housed in April), Hugo (employment in May);
    # Chloé only asked (not supported); Adam was supported in 2025 only. Association: Yanis again
    # and Zoé. Program total: Yanis, Léa, Hugo, Zoé = 4 people (the organizations add up to 5).
    _enrollment(cllaj, yanis, requested=D(2026, 1, 20), started=D(2026, 2, 1), program=program)
    lea_e = _enrollment(
        cllaj, lea, requested=D(2026, 1, 5), started=D(2026, 1, 20), ended=D(2026, 4, 10)
    )
    Exit.objects.create(
        enrollment=lea_e,
        outcome=ExitOutcome.SOCIAL_HOUSING,
        exited_on=D(2026, 4, 10),
        ready_for_housing=True,
    )
    hugo_e = _enrollment(
        cllaj, hugo, requested=D(2026, 2, 1), started=D(2026, 2, 10), ended=D(2026, 5, 20)
    )
    Exit.objects.create(enrollment=hugo_e, outcome=ExitOutcome.EMPLOYMENT, exited_on=D(2026, 5, 20))
    _enrollment(cllaj, chloe, requested=D(2026, 1, 10))
    adam_e = _enrollment(
        cllaj, adam, requested=D(2025, 4, 1), started=D(2025, 5, 1), ended=D(2025, 12, 15)
    )
    Exit.objects.create(enrollment=adam_e, outcome=ExitOutcome.OTHER, exited_on=D(2025, 12, 15))
    _enrollment(association, yanis_b, requested=D(2026, 2, 20), started=D(2026, 3, 1))
    _enrollment(association, zoe, requested=D(2026, 3, 1), started=D(2026, 3, 15))

    # Collective actions: 2 named + 5 counted in September, Yanis again in October = 8 presences.
    workshop = ActivityFactory(organization=cllaj, kind=ActivityKind.HOUSING_WORKSHOP)
    september = SessionFactory(
        activity=workshop, organization=cllaj, starts_at=at(D(2026, 9, 15)), anonymous_count=5
    )
    AttendanceFactory(session=september, person=yanis)
    AttendanceFactory(session=september, person=ines)
    october = SessionFactory(activity=workshop, organization=cllaj, starts_at=at(D(2026, 10, 6)))
    AttendanceFactory(session=october, person=yanis)

    # Housing partners: the landlord (two contacts, counts once) and the youth residence (a
    # referral); the association (not a housing organization) does not count.
    ReferralFactory(sender=cllaj, receiver=residence_org, person=noah)
    ContactFactory(
        organization=cllaj,
        channel=Channel.PHONE,
        occurred_at=at(D(2026, 7, 1)),
        partner=association,
    )

    # Housing at the residence manager: March 2026 has five Mondays (2, 9, 16, 23, 30).
    residence = ResidenceFactory(organization=manager, commune=arras)
    bed_1 = BedFactory(unit=UnitFactory(residence=residence, reference="A1"))
    bed_2 = BedFactory(unit=UnitFactory(residence=residence, reference="A2"))
    BedFactory(unit=UnitFactory(residence=residence, reference="A3", status=UnitStatus.WORKS))
    tenant = _person(manager, "Fontaine", "Mathis", D(2005, 1, 1))
    other = _person(manager, "Girard", "Manon", D(2004, 1, 1))
    for bed, person, start, end in (
        (bed_1, tenant, D(2026, 3, 2), D(2026, 3, 16)),
        (bed_2, other, D(2026, 3, 16), None),
    ):
        booking = Booking.objects.create(
            organization=manager,
            person=person,
            bed=bed,
            granularity=Granularity.WEEKS,
            status=BookingStatus.ACTIVE,
            starts_on=start,
            ends_on=end,
        )
        BookingPeriod.objects.create(booking=booking, bed=bed, starts_on=start, ends_on=end)
    Lease.objects.create(
        organization=manager,
        person=tenant,
        unit=bed_1.unit,
        kind=LeaseKind.FURNISHED,
        status=LeaseStatus.ENDED,
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 6, 30),
        monthly_rent=Decimal("300"),
        monthly_charges=Decimal("0"),
        deposit=Decimal("300"),
    )
    # Rent: 300 € called for March, 100 € of allowance, 150 € paid: 50 € of 200 € unpaid (25 %).
    charge_booking = Booking.objects.filter(person=tenant).get()
    Charge.objects.create(
        organization=manager,
        booking=charge_booking,
        person=tenant,
        month=D(2026, 3, 1),
        label="Loyer mars 2026",
        amount=Decimal("300"),
    )
    ThirdPartyPayment.objects.create(
        organization=manager,
        person=tenant,
        source="apl",
        month=D(2026, 3, 1),
        amount=Decimal("100"),
    )
    Payment.objects.create(
        organization=manager,
        person=tenant,
        paid_on=D(2026, 3, 20),
        amount=Decimal("150"),
        method="transfer",
    )
    return Year(
        cllaj,
        association,
        manager,
        funder,
        landlord,
        residence_org,
        program,
        arras,
        lens,
        yanis,
        yanis_b,
    )


def _build_year_today() -> Year:
    with time_machine.travel(TODAY, tick=False):
        return build_year()


# Built once per module (≈ 1 s each time on PostgreSQL, used by some 80 tests).
_shared_year = built_once_per_module(_build_year_today)


def shared_year_refreshed(*years: int):
    """The hand-built year with the figures of ``years`` already computed, built once per
    module: a module whose tests all start from refreshed figures assigns it to its own
    ``_shared_year`` (overriding the one above), instead of refreshing in each test (≈ 1.5 s)."""
    from ancrage.indicators.rollup import refresh_year

    def build() -> Year:
        with time_machine.travel(TODAY, tick=False):
            built = build_year()
            for number in years:
                refresh_year(number)
            return built

    return built_once_per_module(build)


@pytest.fixture
def year(_shared_year, db) -> Year:
    return fresh_copy(_shared_year)

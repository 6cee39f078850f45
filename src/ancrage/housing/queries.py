"""Reads on housing for views and other apps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.permissions import get_for_user
from ancrage.core.listing import Column
from ancrage.housing.enums import (
    CONDITION_RANK,
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    BookingStatus,
    ItemCondition,
    LeaseStatus,
    UnitStatus,
)
from ancrage.housing.models import (
    Bed,
    Booking,
    BookingPeriod,
    Charge,
    CommonSpace,
    HousingApplication,
    Lease,
    Payment,
    QuestionKind,
    Residence,
    Rhythm,
    SpaceBooking,
    Survey,
    SurveyAnswer,
    ThirdPartyPayment,
    Unit,
    WaitingListRule,
    monday_of,
)
from ancrage.housing.waiting_list import rank
from ancrage.people.models import Person, Resource


def _get(queryset, pk, user, write):
    return get_for_user(queryset, pk, user, action="housing.manage" if write else None)


def get_residence_for_user(user, residence_id, *, write: bool = False) -> Residence:
    return _get(
        Residence.objects.visible_to(user).select_related("commune", "landlord"),
        residence_id,
        user,
        write,
    )


def get_space_for_user(user, space_id, *, write: bool = False) -> CommonSpace:
    return _get(
        CommonSpace.objects.visible_to(user).select_related("residence"), space_id, user, write
    )


def get_space_booking_for_user(user, booking_id, *, write: bool = False) -> SpaceBooking:
    bookings = SpaceBooking.objects.visible_to(user).select_related("space__residence", "person")
    return _get(bookings, booking_id, user, write)


def space_bookings_between(
    spaces, start: datetime.datetime, end: datetime.datetime, *, active_only: bool = True
) -> QuerySet[SpaceBooking]:
    """The slots of ``spaces`` (a queryset or a list) that meet [start, end), in time order."""
    bookings = SpaceBooking.objects.filter(
        space__in=spaces, starts_at__lt=end, ends_at__gt=start
    ).select_related("space", "person")
    if active_only:
        bookings = bookings.filter(is_active=True)
    return bookings.order_by("starts_at", "id")


def get_booking_for_user(user, booking_id, *, write: bool = False) -> Booking:
    bookings = Booking.objects.visible_to(user).select_related(
        "person", "bed__unit__residence", "rhythm", "created_by", "lease"
    )
    return _get(bookings, booking_id, user, write)


def beds_of(residence):
    return (
        Bed.objects.filter(unit__residence=residence)
        .select_related("unit")
        .order_by("unit__reference", "label", "id")
    )


def rhythms_of(organization):
    return (
        Rhythm.objects.filter(organization=organization)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "-first_school_week")
    )


@dataclass
class Cell:
    booking_id: int | None = None
    person: str = ""
    initials: str = ""
    week: datetime.date | None = None  # its Monday: a free cell leads to booking that week
    in_service: bool = True  # the unit existed that week (its service dates)


@dataclass
class Grid:
    weeks: list[datetime.date]
    rows: list[tuple[Bed, list[Cell]]]
    bed_weeks: int
    occupied: int

    @property
    def empty(self) -> int:
        return self.bed_weeks - self.occupied

    @property
    def rate(self) -> float:
        return self.occupied / self.bed_weeks if self.bed_weeks else 0.0


def occupancy_grid(residence, first_monday: datetime.date, weeks: int) -> Grid:
    """Beds × ISO weeks: who occupies each bed each week. A bed-week is occupied when any active
    period covers its Monday (weekly bookings start on Mondays; a month covers the weeks whose
    Monday falls in it). Units in works or out of service, and the weeks before a unit entered
    service or after it left, are listed but not counted."""
    first_monday = monday_of(first_monday)
    mondays = [first_monday + datetime.timedelta(weeks=i) for i in range(weeks)]
    end = mondays[-1] + datetime.timedelta(weeks=1)
    beds = list(beds_of(residence))
    periods = (
        BookingPeriod.objects.filter(
            bed__unit__residence=residence, is_active=True, starts_on__lt=end
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=first_monday))
        .select_related("booking__person")
    )
    by_bed: dict[int, list[BookingPeriod]] = {}
    for period in periods:
        by_bed.setdefault(period.bed_id, []).append(period)
    rows, occupied, bed_weeks = [], 0, 0
    for bed in beds:
        cells = []
        lettable = bed.unit.status == "available"
        for monday in mondays:
            cell = Cell(week=monday, in_service=bed.unit.in_service(monday))
            for period in by_bed.get(bed.pk, []):
                if period.starts_on <= monday and (
                    period.ends_on is None or monday < period.ends_on
                ):
                    person = period.booking.person
                    cell = Cell(
                        week=monday,
                        booking_id=period.booking_id,
                        person=str(person),
                        initials=f"{person.first_name[:1]}{person.last_name[:1]}".upper(),
                    )
                    break
            if lettable and cell.in_service:
                bed_weeks += 1
                occupied += cell.booking_id is not None
            cells.append(cell)
        rows.append((bed, cells))
    return Grid(weeks=mondays, rows=rows, bed_weeks=bed_weeks, occupied=occupied)


@dataclass
class UnitOccupancy:
    unit: Unit
    beds: int
    weeks_in_service: int
    bed_weeks: int
    occupied: int

    @property
    def rate(self) -> float | None:
        return self.occupied / self.bed_weeks if self.bed_weeks else None


@dataclass
class Occupancy:
    """A residence's occupancy over [start, end): bed-weeks a lettable unit in service offers (a
    week counts by its Monday, as on the grid and in the indicators), those booked, per unit."""

    start: datetime.date
    end: datetime.date
    weeks: int
    units: list[UnitOccupancy]

    @property
    def bed_weeks(self) -> int:
        return sum(u.bed_weeks for u in self.units)

    @property
    def occupied(self) -> int:
        return sum(u.occupied for u in self.units)

    @property
    def empty(self) -> int:
        return self.bed_weeks - self.occupied

    @property
    def rate(self) -> float | None:
        return self.occupied / self.bed_weeks if self.bed_weeks else None

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else 100 * self.rate


def mondays_in(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The Mondays of [start, end): the weeks a period counts (a week by its Monday)."""
    first = monday_of(start)
    if first < start:
        first += datetime.timedelta(weeks=1)
    return [first + datetime.timedelta(weeks=i) for i in range(max(0, (end - first).days + 6) // 7)]


def school_year_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The school year holding ``day``: 1 September to the next 1 September (excluded)."""
    first = day.year if day.month >= 9 else day.year - 1
    return datetime.date(first, 9, 1), datetime.date(first + 1, 9, 1)


def occupancy_between(residence, start: datetime.date, end: datetime.date) -> Occupancy:
    """Booked bed-weeks over the bed-weeks of lettable units in service, between two dates."""
    mondays = mondays_in(start, end)
    units = list(
        Unit.objects.filter(residence=residence).annotate(n=Count("beds")).order_by("reference")
    )
    periods: dict[int, list[tuple[int, datetime.date, datetime.date | None]]] = {}
    for unit_id, bed_id, starts_on, ends_on in (
        BookingPeriod.objects.filter(
            bed__unit__residence=residence,
            is_active=True,
            booking__status=BookingStatus.ACTIVE,
            starts_on__lt=end,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=start))
        .values_list("bed__unit_id", "bed_id", "starts_on", "ends_on")
    ):
        periods.setdefault(unit_id, []).append((bed_id, starts_on, ends_on))
    rows = []
    for unit in units:
        lettable = unit.status == UnitStatus.AVAILABLE
        weeks = [m for m in mondays if unit.in_service(m)] if lettable else []
        taken = {
            (bed_id, m)
            for bed_id, starts_on, ends_on in periods.get(unit.pk, [])
            for m in weeks
            if starts_on <= m and (ends_on is None or m < ends_on)
        }
        rows.append(
            UnitOccupancy(
                unit=unit,
                beds=unit.n,
                weeks_in_service=len(weeks),
                bed_weeks=unit.n * len(weeks),
                occupied=len(taken),
            )
        )
    return Occupancy(start=start, end=end, weeks=len(mondays), units=rows)


def booked_bed_weeks(
    residences, start: datetime.date, end: datetime.date, *, except_people=()
) -> int:
    """Bed-weeks booked in ``residences`` over [start, end) (a week by its Monday, in lettable
    units in service: as ``occupancy_between``), leaving out the bookings of ``except_people``."""
    mondays = mondays_in(start, end)
    periods = (
        BookingPeriod.objects.filter(
            bed__unit__residence__in=residences,
            bed__unit__status=UnitStatus.AVAILABLE,
            is_active=True,
            booking__status=BookingStatus.ACTIVE,
            starts_on__lt=end,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=start))
        .exclude(booking__person_id__in=list(except_people))
        .select_related("bed__unit")
    )
    return sum(
        1
        for period in periods
        for m in mondays
        if period.starts_on <= m
        and (period.ends_on is None or m < period.ends_on)
        and period.bed.unit.in_service(m)
    )


@dataclass
class Account:
    """An occupant's rent account with the manager: what was charged, received and is still due."""

    charges: list
    allowances: list
    payments: list
    charged: Decimal
    received: Decimal
    balance: Decimal
    oldest_unpaid: datetime.date | None
    days_late: int

    @property
    def in_arrears(self) -> bool:
        return self.days_late > 0


def account_of(person, *, today=None) -> Account:
    """Allowances and payments cover the oldest charges first; what remains of the oldest charge
    not fully covered is late once its month started more than ``ANCRAGE_ARREARS_DELAY_DAYS`` ago."""
    today = today or timezone.localdate()
    charges = list(
        Charge.objects.filter(person=person)
        .select_related("booking__bed__unit")
        .order_by("month", "id")
    )
    allowances = list(ThirdPartyPayment.objects.filter(person=person).order_by("month", "id"))
    payments = list(Payment.objects.filter(person=person).order_by("paid_on", "id"))
    charged = sum((c.amount for c in charges), Decimal(0))
    received = sum((p.amount for p in allowances), Decimal(0)) + sum(
        (p.amount for p in payments), Decimal(0)
    )
    remaining = received
    oldest_unpaid = None
    for charge in charges:
        if remaining >= charge.amount:
            remaining -= charge.amount
            continue
        oldest_unpaid = charge.month
        break
    days_late = 0
    if oldest_unpaid is not None:
        due = oldest_unpaid + datetime.timedelta(days=settings.ANCRAGE_ARREARS_DELAY_DAYS)
        days_late = max(0, (today - due).days)
    return Account(
        charges=charges,
        allowances=allowances,
        payments=payments,
        charged=charged,
        received=received,
        balance=charged - received,
        oldest_unpaid=oldest_unpaid,
        days_late=days_late,
    )


def get_lease_for_user(user, lease_id, *, write: bool = False):
    leases = Lease.objects.visible_to(user).select_related("person", "unit__residence", "slid_into")
    return _get(leases, lease_id, user, write)


def charge_coverage(person) -> dict[int, tuple[Decimal, Decimal]]:
    """{charge id: (allowances of its month, occupant's payments applied to it)}. Allowances go to
    the charges of their month; payments then cover the oldest charges first."""
    charges = list(Charge.objects.filter(person=person).order_by("month", "id"))
    allowances: dict[datetime.date, Decimal] = {}
    for allowance in ThirdPartyPayment.objects.filter(person=person):
        allowances[allowance.month] = allowances.get(allowance.month, Decimal(0)) + allowance.amount
    remaining = sum((p.amount for p in Payment.objects.filter(person=person)), Decimal(0))
    coverage = {}
    for charge in charges:
        granted = min(allowances.get(charge.month, Decimal(0)), charge.amount)
        allowances[charge.month] = allowances.get(charge.month, Decimal(0)) - granted
        paid = min(remaining, charge.amount - granted)
        remaining -= paid
        coverage[charge.pk] = (granted, paid)
    return coverage


@dataclass(frozen=True)
class Difference:
    room: str
    element: str
    at_entry: str
    at_exit: str
    comment: str


def differences(exit_inspection) -> list[Difference]:
    """What is worse at exit than at entry, element by element (an element missing at entry counts)."""

    if exit_inspection.entry_id is None:
        return []
    before = {(i.room.lower(), i.element.lower()): i for i in exit_inspection.entry.items.all()}
    found = []
    for item in exit_inspection.items.all():
        entry_item = before.get((item.room.lower(), item.element.lower()))
        entry_rank = CONDITION_RANK[entry_item.condition] if entry_item else -1
        if CONDITION_RANK[item.condition] > entry_rank:
            found.append(
                Difference(
                    room=item.room,
                    element=item.element,
                    at_entry=ItemCondition(entry_item.condition).label
                    if entry_item
                    else "non décrit",
                    at_exit=item.get_condition_display(),
                    comment=item.comment,
                )
            )
    return found


@dataclass
class WaitingList:
    rules: dict
    eligible: list
    ineligible: list
    explained: bool


def _free_beds(residence, start: datetime.date, end: datetime.date | None, periods_by_bed, beds):
    """Beds of lettable units with no active period overlapping [start, end)."""
    free = []
    for bed in beds:
        if bed.unit.status != "available":
            continue
        busy = any(
            p.starts_on < (end or datetime.date.max) and start < (p.ends_on or datetime.date.max)
            for p in periods_by_bed.get(bed.pk, [])
        )
        if not busy:
            free.append(bed)
    return free


def waiting_list_for(residence, *, today=None) -> WaitingList:
    """Pending applications ranked by the residence's rules, each with the answer to "why is this
    person not offered a unit?" (a mandatory condition, the people ranked before, or no free bed)."""

    today = today or timezone.localdate()
    rules = {
        r.code: (r.weight, r.mandatory) for r in WaitingListRule.objects.filter(residence=residence)
    }
    explained = bool(rules)
    if not rules:
        rules = {"seniority": (1, False)}
    applications = list(
        HousingApplication.objects.filter(residence=residence, status=ApplicationStatus.PENDING)
        .select_related("person")
        .order_by("submitted_on", "id")
    )
    resources: dict[int, Decimal] = {}
    for resource in Resource.objects.filter(person__in=[a.person_id for a in applications]):
        resources[resource.person_id] = (
            resources.get(resource.person_id, Decimal(0)) + resource.monthly_amount
        )
    eligible, ineligible = rank(applications, rules, today=today, resources=resources)
    beds = list(beds_of(residence))
    periods_by_bed: dict[int, list] = {}
    for period in BookingPeriod.objects.filter(bed__unit__residence=residence, is_active=True):
        periods_by_bed.setdefault(period.bed_id, []).append(period)
    for ranked in eligible:
        application = ranked.application
        ranked.free_beds = _free_beds(
            residence, application.wished_from, application.wished_until, periods_by_bed, beds
        )
        ranked.text = ranked.explanation(len(eligible))
        if not ranked.free_beds:
            until = f" au {application.wished_until:%d/%m/%Y}" if application.wished_until else ""
            ranked.text += f" Aucun lit libre du {application.wished_from:%d/%m/%Y}{until}."
        elif ranked.rank > len(ranked.free_beds):
            ranked.text += (
                f" {len(ranked.free_beds)} lit(s) libre(s) sur la période souhaitée pour "
                f"{ranked.rank - 1} personne(s) classée(s) avant."
            )
        else:
            ranked.text += " Un lit est libre sur la période souhaitée : logement possible."
    for ranked in ineligible:
        ranked.free_beds = []
        ranked.text = ranked.explanation(len(eligible))
    return WaitingList(rules=rules, eligible=eligible, ineligible=ineligible, explained=explained)


@dataclass
class Arrears:
    person: object
    balance: Decimal
    oldest_unpaid: datetime.date
    days_late: int


def arrears_of(organization, *, today=None) -> list[Arrears]:
    """Occupants of the organization whose oldest uncovered charge is past the delay; most late
    first. Four queries whatever the number of occupants."""

    today = today or timezone.localdate()
    delay = datetime.timedelta(days=settings.ANCRAGE_ARREARS_DELAY_DAYS)
    charges: dict[int, list] = {}
    for charge in Charge.objects.filter(organization=organization).order_by("month", "id"):
        charges.setdefault(charge.person_id, []).append(charge)
    received: dict[int, Decimal] = {}
    for model in (ThirdPartyPayment, Payment):
        for person_id, amount in model.objects.filter(organization=organization).values_list(
            "person_id", "amount"
        ):
            received[person_id] = received.get(person_id, Decimal(0)) + amount
    late = []
    for person_id, rows in charges.items():
        remaining = received.get(person_id, Decimal(0))
        for charge in rows:
            if remaining >= charge.amount:
                remaining -= charge.amount
                continue
            days = (today - (charge.month + delay)).days
            if days > 0:
                balance = sum((c.amount for c in rows), Decimal(0)) - received.get(person_id, 0)
                late.append((person_id, balance, charge.month, days))
            break
    people = Person.objects.in_bulk([row[0] for row in late])
    return sorted(
        (Arrears(people[pid], balance, month, days) for pid, balance, month, days in late),
        key=lambda a: (-a.days_late, a.person.last_name),
    )


@dataclass
class WeekOverview:
    """What a residence manager checks on Monday morning (the home page)."""

    arrivals: list[BookingPeriod]
    departures: list[BookingPeriod]
    beds: int
    free_beds: int
    applications_waiting: int
    oldest_application: datetime.date | None
    arrears_count: int
    arrears_total: Decimal


def busy_beds(beds, day: datetime.date) -> set[int]:
    """Ids of those ``beds`` booked on ``day`` (the booking form says so next to each)."""
    return set(
        BookingPeriod.objects.filter(bed__in=beds, is_active=True, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))
        .values_list("bed_id", flat=True)
    )


def lettable_beds(organization) -> QuerySet[Bed]:
    """The beds of the organization's units that can be let (not under works, not out of service)."""
    return Bed.objects.filter(
        unit__residence__organization=organization, unit__status=UnitStatus.AVAILABLE
    )


def week_overview(organization, *, today: datetime.date | None = None) -> WeekOverview:
    """This week's arrivals and departures (booking periods starting or ending from Monday to
    Sunday), the beds free tonight in lettable units, the applications waiting and the arrears."""
    today = today or timezone.localdate()
    monday = monday_of(today)
    next_monday = monday + datetime.timedelta(days=7)
    periods = BookingPeriod.objects.filter(
        bed__unit__residence__organization=organization,
        is_active=True,
        booking__status=BookingStatus.ACTIVE,
    ).select_related("booking__person", "bed__unit__residence")
    arrivals = list(
        periods.filter(starts_on__gte=monday, starts_on__lt=next_monday).order_by(
            "starts_on", "booking__person__last_name", "id"
        )
    )
    departures = list(
        periods.filter(ends_on__gte=monday, ends_on__lt=next_monday).order_by(
            "ends_on", "booking__person__last_name", "id"
        )
    )
    lettable = lettable_beds(organization)
    occupied = (
        BookingPeriod.objects.filter(bed__in=lettable, is_active=True, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        .values("bed")
        .distinct()
        .count()
    )
    beds = lettable.count()
    waiting = HousingApplication.objects.filter(
        organization=organization, status=ApplicationStatus.PENDING
    ).order_by("submitted_on")
    oldest = waiting.values_list("submitted_on", flat=True).first()
    late = arrears_of(organization, today=today)
    return WeekOverview(
        arrivals=arrivals,
        departures=departures,
        beds=beds,
        free_beds=max(beds - occupied, 0),
        applications_waiting=waiting.count(),
        oldest_application=oldest,
        arrears_count=len(late),
        arrears_total=sum((a.balance for a in late), Decimal(0)),
    )


def people_active_since(day: datetime.date) -> list[QuerySet]:
    """Ids of the people housed, with a lease, an application, a charge or a payment on or after
    ``day`` (or still open): the retention task archives no one in these."""
    return [
        Booking.objects.filter(status=BookingStatus.ACTIVE)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))
        .filter(person_id__isnull=False)
        .values("person_id"),
        Lease.objects.filter(
            Q(status__in=[LeaseStatus.DRAFT, LeaseStatus.ACTIVE])
            | Q(ends_on__gt=day)
            | Q(starts_on__gte=day)
        )
        .filter(person_id__isnull=False)
        .values("person_id"),
        HousingApplication.objects.filter(
            Q(status__in=OPEN_APPLICATION_STATUSES)
            | Q(submitted_on__gte=day)
            | Q(closed_on__gte=day)
        )
        .filter(person_id__isnull=False)
        .values("person_id"),
        Charge.objects.filter(month__gte=day).filter(person_id__isnull=False).values("person_id"),
        Payment.objects.filter(paid_on__gte=day)
        .filter(person_id__isnull=False)
        .values("person_id"),
    ]


def _bed_label(bed) -> str:
    return f"{bed.unit.reference} ({bed.label})" if bed.label else bed.unit.reference


# The organization-wide lists of bookings, leases and housing applications, and the arrears.
BOOKING_COLUMNS = [
    Column(
        "personne",
        _("Occupant·e"),
        lambda b: str(b.person),
        ("person__last_name", "person__first_name"),
    ),
    Column(
        "residence",
        _("Résidence"),
        lambda b: b.bed.unit.residence.name,
        ("bed__unit__residence__name",),
    ),
    Column("logement", _("Logement"), lambda b: _bed_label(b.bed), ("bed__unit__reference",)),
    Column("du", _("Du"), lambda b: b.starts_on, ("starts_on",)),
    Column("au", _("Au (exclu)"), lambda b: b.ends_on, ("ends_on",)),
    Column("duree", _("Durée"), lambda b: b.get_granularity_display(), ("granularity",)),
    Column("etat", _("État"), lambda b: b.get_status_display(), ("status",)),
]
BOOKING_EXPORT_ONLY = [
    Column("rythme", _("Rythme"), lambda b: str(b.rhythm) if b.rhythm_id else ""),
    Column("precision", _("Précision"), lambda b: b.note),
]
LEASE_COLUMNS = [
    Column(
        "personne",
        _("Locataire"),
        lambda le: str(le.person),
        ("person__last_name", "person__first_name"),
    ),
    Column(
        "logement",
        _("Logement"),
        lambda le: str(le.unit),
        ("unit__residence__name", "unit__reference"),
    ),
    Column("type", _("Type de bail"), lambda le: le.get_kind_display(), ("kind",)),
    Column("debut", _("Prise d'effet"), lambda le: le.starts_on, ("starts_on",)),
    Column("fin", _("Fin"), lambda le: le.ends_on, ("ends_on",)),
    Column(
        "loyer", _("Loyer mensuel (€)"), lambda le: le.monthly_rent, ("monthly_rent",), numeric=True
    ),
    Column("etat", _("État"), lambda le: le.get_status_display(), ("status",)),
]
LEASE_EXPORT_ONLY = [
    Column("charges", _("Charges mensuelles (€)"), lambda le: le.monthly_charges),
    Column("depot", _("Dépôt de garantie (€)"), lambda le: le.deposit),
    Column("glissant", _("Bail glissant"), lambda le: le.is_sliding),
    Column("signe", _("Signé le"), lambda le: le.signed_on),
]
APPLICATION_COLUMNS = [
    Column(
        "personne",
        _("Personne"),
        lambda a: str(a.person),
        ("person__last_name", "person__first_name"),
    ),
    Column("residence", _("Résidence"), lambda a: a.residence.name, ("residence__name",)),
    Column("deposee", _("Déposée le"), lambda a: a.submitted_on, ("submitted_on",)),
    Column("souhait", _("Souhaitée à partir du"), lambda a: a.wished_from, ("wished_from",)),
    Column("etat", _("État"), lambda a: a.get_status_display(), ("status",)),
]
APPLICATION_EXPORT_ONLY = [
    Column("jusquau", _("Jusqu'au"), lambda a: a.wished_until),
    Column("duree", _("Durée"), lambda a: a.get_granularity_display()),
    Column("accessible", _("Logement accessible"), lambda a: a.needs_accessible),
    Column("close", _("Close le"), lambda a: a.closed_on),
    Column("precision", _("Précision"), lambda a: a.note),
]
ARREARS_COLUMNS = [
    Column("personne", _("Occupant·e"), lambda a: str(a.person), ("person",)),
    Column("depuis", _("Depuis l'échéance de"), lambda a: a.oldest_unpaid, ("oldest_unpaid",)),
    Column("retard", _("Jours de retard"), lambda a: a.days_late, ("days_late",), numeric=True),
    Column("du", _("Reste dû (€)"), lambda a: a.balance, ("balance",), numeric=True),
]


def stays(
    residence_ids, start: datetime.date, end: datetime.date, *, person_ids=None
) -> dict[int, list[tuple[datetime.date, datetime.date]]]:
    """The days each person is housed in ``residences`` over [start, end): their active booked
    periods and their leases (signed, ended or slid), merged into runs [from, to) clipped to the
    window — what makes someone a resident on a day."""
    periods = (
        BookingPeriod.objects.filter(
            bed__unit__residence_id__in=residence_ids,
            is_active=True,
            booking__status=BookingStatus.ACTIVE,
            starts_on__lt=end,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=start))
        .values_list("booking__person_id", "starts_on", "ends_on")
    )
    leases = (
        Lease.objects.filter(unit__residence_id__in=residence_ids, starts_on__lt=end)
        .exclude(status=LeaseStatus.DRAFT)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=start))
        .values_list("person_id", "starts_on", "ends_on")
    )
    if person_ids is not None:
        periods = periods.filter(booking__person_id__in=person_ids)
        leases = leases.filter(person_id__in=person_ids)
    runs: dict[int, list[tuple[datetime.date, datetime.date]]] = {}
    for person_id, starts_on, ends_on in [*periods, *leases]:
        runs.setdefault(person_id, []).append((max(start, starts_on), min(end, ends_on or end)))
    return {person_id: _merged(found) for person_id, found in runs.items()}


def _merged(
    runs: list[tuple[datetime.date, datetime.date]],
) -> list[tuple[datetime.date, datetime.date]]:
    merged: list[tuple[datetime.date, datetime.date]] = []
    for first, last in sorted(runs):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def school_weeks_of(person_id: int, start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """The Mondays in [start, end) of the weeks the person is at school, by their rhythms."""
    weeks: set[datetime.date] = set()
    rhythms = Rhythm.objects.filter(
        person_id=person_id, first_school_week__lt=end, ends_on__gt=start
    ).select_related("calendar")
    for rhythm in rhythms:
        weeks.update(rhythm.school_weeks(start, end))
    return weeks


def residences_of(organization) -> QuerySet[Residence]:
    return Residence.objects.filter(organization=organization).order_by("name", "id")


def bookable_spaces_of(organization) -> QuerySet[CommonSpace]:
    """The open common spaces of the organization's residences that take slots."""
    return (
        CommonSpace.objects.filter(organization=organization, is_active=True, bookable=True)
        .select_related("residence")
        .order_by("residence__name", "name", "id")
    )


@dataclass
class QuestionResult:
    question: Any
    answered: int
    # Scale: the share of each answer 1–4 and the mean; yes/no: the share of « oui ».
    shares: list[float]
    mean: float | None


@dataclass
class SurveyResults:
    survey: Any
    responses: int
    threshold: int
    questions: list[QuestionResult]

    @property
    def withheld(self) -> bool:
        """Fewer answers than the small-cell threshold: no breakdown is shown anywhere."""
        return self.responses < self.threshold


def survey_results(survey, *, threshold: int | None = None) -> SurveyResults:
    """Each question's answers counted (two queries whatever the number of answers); below the
    threshold, only the number of answers is given."""
    threshold = threshold or settings.ANCRAGE_SMALL_CELL_THRESHOLD
    responses = survey.responses.count()
    questions = list(survey.questions.all())
    results: list[QuestionResult] = []
    if responses >= threshold:
        counts: dict[tuple[int, int], int] = {
            (row["question_id"], row["value"]): row["n"]
            for row in SurveyAnswer.objects.filter(question__survey=survey)
            .values("question_id", "value")
            .annotate(n=Count("id"))
            .order_by()
        }
        for question in questions:
            if question.kind == QuestionKind.SCALE:
                values = [counts.get((question.pk, v), 0) for v in (1, 2, 3, 4)]
                answered = sum(values)
                mean = (
                    sum(v * n for v, n in zip((1, 2, 3, 4), values, strict=True)) / answered
                    if answered
                    else None
                )
            else:
                values = [counts.get((question.pk, 1), 0)]
                answered = values[0] + counts.get((question.pk, 0), 0)
                mean = None
            shares = [100 * n / answered if answered else 0.0 for n in values]
            results.append(QuestionResult(question, answered, shares, mean))
    return SurveyResults(survey, responses, threshold, results)


def surveys_of_year(organization, year: int) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(organization=organization, year=year)
        .select_related("residence")
        .prefetch_related("questions")
        .order_by("residence__name", "id")
    )

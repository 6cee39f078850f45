"""The indicators: code, French label, unit, the definition users read, and the query behind it.

Each indicator's ``facts(start, end)`` reads the raw tables for the days [start, end) and yields
``Fact`` rows already reduced by the database (grouped, or distinct per person). ``rollup`` turns
them into the stored figures of every scope. Nothing here runs at request time.

Attribution to programs: a fact of an enrollment counts in the enrollment's program; any other fact
(a contact, a session, a booking…) counts in the programs its organization runs or takes part in
(operator or partner) during that month.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    Min,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractMonth,
    ExtractYear,
    Greatest,
    Least,
    TruncDate,
    TruncMonth,
)
from django.db.models.lookups import IsNull, LessThan
from django.utils import timezone

from ancrage.accounts.enums import OrganizationKind
from ancrage.activities.enums import ActivityKind
from ancrage.activities.models import Activity, Attendance, Session
from ancrage.catalogue import packs as pack_balances
from ancrage.catalogue.models import Category, Delivery, Pack, Period
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.housing.enums import BookingStatus, LeaseStatus, UnitStatus
from ancrage.housing.models import (
    Bed,
    BookingPeriod,
    Charge,
    Lease,
    Payment,
    ThirdPartyPayment,
)
from ancrage.indicators.enums import Kind, Unit
from ancrage.indicators.packing import Packed, read_columns, stable_key
from ancrage.partnerships.models import Pathway as CitizenPathway
from ancrage.partnerships.models import PathwayModule, PathwayTheme
from ancrage.people.enums import Situation
from ancrage.people.models import age_on
from ancrage.support.enums import (
    ADAPTATION_PATHWAYS,
    ASSESSMENT_DOMAINS,
    AgeBand,
    AppointmentStatus,
    Channel,
    Direction,
    ExitOutcome,
    FollowUpHousing,
    FollowUpKind,
    Pathway,
    Priority,
    ReferralStatus,
    StepKind,
    StepStatus,
    Subject,
)
from ancrage.support.models import (
    Appointment,
    Assessment,
    Contact,
    Enrollment,
    Exit,
    FollowUp,
    Referral,
    Step,
)

HOUSING_OUTCOMES = (
    ExitOutcome.SOCIAL_HOUSING,
    ExitOutcome.PRIVATE_HOUSING,
    ExitOutcome.RESIDENCE,
)
IN_PERSON_CHANNELS = (Channel.WALK_IN, Channel.OUTREACH_DESK, Channel.WORKSHOP)
HOUSING_FIELD_KINDS = (OrganizationKind.SOCIAL_LANDLORD, OrganizationKind.RESIDENCE_MANAGER)
UNKNOWN = "inconnu"


class Fact(NamedTuple):
    organization: int
    program: int | None  # None: the organization's running programs
    month: datetime.date  # first day of the month the fact belongs to
    key: str | None = None  # who is counted, for distinct counts
    categories: tuple[str, ...] = ()  # "dimension:value"
    amount: float = 1.0
    denominator: float | None = None


@dataclass(frozen=True)
class Dimension:
    code: str
    label: str
    choices: dict[str, str] = field(default_factory=dict)  # empty: territory codes


DIMENSIONS = {
    d.code: d
    for d in (
        Dimension("canal", "Canal", {c.value: str(c.label) for c in Channel}),
        Dimension("situation", "Situation", {c.value: str(c.label) for c in Situation}),
        Dimension("age", "Tranche d'âge", {c.value: str(c.label) for c in AgeBand}),
        Dimension("commune", "Commune"),
        Dimension("sortie", "Situation à la sortie", {c.value: str(c.label) for c in ExitOutcome}),
        Dimension("action", "Type d'action", {c.value: str(c.label) for c in ActivityKind}),
        Dimension("objet", "Objet de la demande", {c.value: str(c.label) for c in Subject}),
        Dimension("domaine", "Domaine du diagnostic", {k: str(v) for k, v in ASSESSMENT_DOMAINS}),
        Dimension(
            "motif",
            "Motif",
            {
                **{c.value: f"Démarche refusée : {c.label}" for c in StepKind},
                "referral_refused": "Orientation refusée par la structure sollicitée",
            },
        ),
        Dimension(
            "moment",
            "Dernière nouvelle",
            {
                "exit": "À la sortie",
                FollowUpKind.SIX_MONTHS.value: "Suivi à 6 mois",
                FollowUpKind.TWELVE_MONTHS.value: "Suivi à 12 mois",
            },
        ),
        Dimension("categorie", "Catégorie de droit", {c.value: str(c.label) for c in Category}),
        Dimension("theme", "Thème du module", {c.value: str(c.label) for c in PathwayTheme}),
        Dimension("intervenant", "École ou partenaire"),
        Dimension("residence", "Résidence"),
        Dimension(
            "accueil",
            "Accueil",
            {
                "named": "Personnes nommées (chacune une fois)",
                "anonymous": "Visites anonymes (chacune compte)",
            },
        ),
    )
}


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: Unit
    kind: Kind
    definition: str
    facts: Callable[[datetime.date, datetime.date], Iterable[Fact]]
    family: str
    breakdowns: tuple[str, ...] = ()
    # A year is not the sum of its months (a balance at the end of the period).
    year_is_direct: bool = False
    # The same facts read column by column (distinct counts with many rows): a month's refresh
    # uses it; ``facts`` stays the definition, and a test holds them equal.
    packed: Callable[[datetime.date, datetime.date], Packed] | None = None

    @property
    def unit_label(self) -> str:
        return str(Unit(self.unit).label)

    @property
    def breakdown_texts(self) -> list[str]:
        """« Accueil : Personnes nommées (chacune une fois), Visites anonymes (chacune compte) »,
        for the definitions page (a dimension with many values is named only)."""
        texts = []
        for code in self.breakdowns:
            dimension = DIMENSIONS[code]
            if dimension.choices and len(dimension.choices) <= 3:
                texts.append(f"{dimension.label} : {', '.join(dimension.choices.values())}")
            else:
                texts.append(dimension.label)
        return texts

    @property
    def additive(self) -> bool:
        """Year figures are sums of month figures (never for distinct counts)."""
        return self.kind != Kind.DISTINCT and not self.year_is_direct


FAMILIES = {
    "cllaj": "Accueil, information, accompagnement (CLLAJ)",
    "support": "Accompagnement et parcours",
    "needs": "Observatoire des besoins",
    "partnership": "Partenariat avec les employeurs et les bailleurs",
    "housing": "Logement",
    "lianes": "Parcours individuels : adaptation du logement, insertion, maintien à domicile",
    "services": "Packs de services des résidences",
    "residence_life": "Parcours citoyen et vie des résidences",
}


_shared: contextvars.ContextVar[dict | None] = contextvars.ContextVar("shared", default=None)


@contextlib.contextmanager
def shared_reads():
    """Within one refresh, indicators reading the same rows (occupancy rate and empty bed-weeks)
    read them once — also when they are read by two threads (``rollup``), which copy this context."""
    token = _shared.set({_LOCK: threading.Lock()})
    try:
        yield
    finally:
        _shared.reset(token)


_LOCK = "lock"


def _read_once(key: Any, read: Callable[[], Any]) -> Any:
    """``read()``, or what it gave earlier in the same ``shared_reads``; a second thread asking for
    the same rows waits for the first one's reading instead of reading them again."""
    shared = _shared.get()
    if shared is None:
        return read()
    with shared[_LOCK]:
        if key not in shared:
            shared[key] = read()
        return shared[key]


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _month_of(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def _person_key(person_id: int, identity_key: str) -> str:
    return identity_key or f"p{person_id}"


def _age_band(birth_date: datetime.date | None, on: datetime.date) -> str:
    return _age_band_of(age_on(birth_date, on))


def _between(field_name: str, start: datetime.date, end: datetime.date, *, aware: bool) -> Q:
    low, high = (_aware(start), _aware(end)) if aware else (start, end)
    return Q(**{f"{field_name}__gte": low, f"{field_name}__lt": high})


# --- CLLAJ ---------------------------------------------------------------------------------------


def _monthly_totals(
    queryset, *, when, organization, total=None, program=None, dimension=None, by=None
):
    """Facts of a total grouped by organization, month (of ``when``), program and a category."""
    fields = [organization, "month", *(f for f in (program, by) if f)]
    rows = (
        queryset.annotate(month=TruncMonth(when))
        .values(*fields)
        .annotate(n=total or Count("id"))
        .order_by()
    )
    for row in rows:
        yield Fact(
            row[organization],
            row[program] if program else None,
            _month_of(row["month"]),
            categories=(f"{dimension}:{row[by]}",) if by else (),
            amount=row["n"],
        )


def contacts_phone_email(start, end):
    contacts = Contact.objects.filter(
        _between("occurred_at", start, end, aware=True),
        direction=Direction.INCOMING,
        channel__in=(Channel.PHONE, Channel.EMAIL),
        partner=None,
    )
    yield from _monthly_totals(
        contacts,
        when="occurred_at",
        organization="organization_id",
        dimension="canal",
        by="channel",
    )


def people_received(start, end):
    """One row per organization and person (their first visit of the period), not per visit; and
    one per anonymous visit: someone who came without giving a name was received, and cannot be
    recognised the next time, so each such visit counts once."""
    contacts = (
        Contact.objects.filter(
            _between("occurred_at", start, end, aware=True),
            channel__in=IN_PERSON_CHANNELS,
            person__isnull=False,
        )
        .values_list("organization_id", "person_id", "person__identity_key")
        .annotate(first=Min("occurred_at"))
        .order_by()
    )
    appointments = (
        Appointment.objects.filter(
            _between("starts_at", start, end, aware=True), status=AppointmentStatus.HONOURED
        )
        .values_list("organization_id", "person_id", "person__identity_key")
        .annotate(first=Min("starts_at"))
        .order_by()
    )
    for rows in (contacts, appointments):
        for organization, person, identity, first in rows:
            yield Fact(
                organization,
                None,
                _month_of(first),
                _person_key(person, identity),
                ("accueil:named",),
            )
    anonymous = Contact.objects.filter(
        _between("occurred_at", start, end, aware=True),
        channel__in=IN_PERSON_CHANNELS,
        person__isnull=True,
    ).values_list("id", "organization_id", "occurred_at")
    for contact, organization, occurred_at in anonymous:
        yield Fact(
            organization, None, _month_of(occurred_at), f"anon{contact}", ("accueil:anonymous",)
        )


def _supported(start, end):
    """Enrollments running at some point of the period (unordered: a national month's sort would
    spill to disk for nothing)."""
    return (
        Enrollment.objects.filter(started_on__isnull=False, started_on__lt=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .order_by()
    )


def _commune_codes() -> dict[int, str]:
    """Commune id → INSEE code, read once (a join per row costs more at national scale)."""
    return _read_once(
        "communes",
        lambda: dict(
            Territory.objects.filter(kind=TerritoryKind.COMMUNE).values_list("id", "code")
        ),
    )


def people_supported(start, end):
    on = min(end - datetime.timedelta(days=1), timezone.localdate())
    codes = _commune_codes()
    rows = _supported(start, end).values_list(
        "organization_id",
        "program_id",
        "started_on",
        "person_id",
        "person__identity_key",
        "person__situation",
        "person__birth_date",
        "person__commune_id",
    )
    for organization, program, started_on, person, identity, situation, birth, commune_id in rows:
        commune = codes.get(commune_id)
        yield Fact(
            organization,
            program,
            _month_of(max(started_on, start)),
            _person_key(person, identity),
            (
                f"situation:{situation or UNKNOWN}",
                f"age:{_age_band(birth, on)}",
                f"commune:{commune or UNKNOWN}",
            ),
        )


class PseudonymKey(Func):
    """``stable_key`` of a person's pseudonym, in PostgreSQL: its first 16 hex digits as a signed
    64-bit integer (less 2**63, that is the sign bit flipped); NULL without a pseudonym."""

    output_field = BigIntegerField()
    template = (
        "CASE WHEN %(expressions)s = '' THEN NULL ELSE "
        "(('x' || left(%(expressions)s, 16))::bit(64)::bigint # (-9223372036854775807 - 1)) END"
    )

    def __init__(self, identity_key):
        super().__init__(identity_key)

    def as_sql(self, compiler, connection, function=None, template=None, arg_joiner=None, **extra):
        key, params = compiler.compile(self.source_expressions[0])
        return self.template % {"expressions": key}, (*params, *params)


# The columns ``read_columns`` gives for a person: their key (``PseudonymKey``), whether they
# have a pseudonym, and their id.
PERSON_COLUMNS: dict[str, tuple[str, int]] = {
    "person": ("int4", 0),
    "key": ("int8", 0),
    "named": ("int4", 0),
}


def _named(identity_key: str = "person__identity_key") -> Case:
    return Case(When(**{identity_key: ""}, then=Value(0)), default=Value(1))


def _people_keys(columns: dict[str, Any]) -> Any:
    """Each row's ``stable_key(_person_key(…))``: the pseudonym's key from the database; without a
    pseudonym, the person's own key, computed once per person."""
    import numpy as np

    keys = columns["key"].copy()
    unnamed = columns["named"] == 0
    if unnamed.any():
        people, positions = np.unique(columns["person"][unnamed], return_inverse=True)
        own = np.array(
            [stable_key(_person_key(person, "")) for person in people.tolist()], dtype=np.int64
        )
        keys[unnamed] = own[positions]
    return keys


def _local_month_number(field: str) -> Any:
    zone = timezone.get_current_timezone()
    return ExtractYear(field, tzinfo=zone) * 12 + ExtractMonth(field, tzinfo=zone) - 1


def people_received_packed(start, end) -> Packed:
    """``people_received`` column by column on PostgreSQL: the month of each person's first visit
    and their key computed by the database, no ``Fact`` per row."""
    import numpy as np

    if connection.vendor != "postgresql":
        return Packed.of(people_received(start, end))
    columns = {"organization": ("int4", 0), "month": ("int4", 0), **PERSON_COLUMNS}
    named_parts = []
    for model, when, conditions in (
        (Contact, "occurred_at", Q(channel__in=IN_PERSON_CHANNELS, person__isnull=False)),
        (Appointment, "starts_at", Q(status=AppointmentStatus.HONOURED)),
    ):
        visits = (
            model.objects.filter(_between(when, start, end, aware=True), conditions)
            .values("organization_id", "person_id")
            .annotate(first=Min(when))
            .annotate(
                month_number=_local_month_number("first"),
                key=PseudonymKey("person__identity_key"),
                named=_named(),
            )
            .values_list("organization_id", "month_number", "person_id", "key", "named")
            .order_by()
        )
        named_parts.append(read_columns(visits, columns))
    anonymous = read_columns(
        Contact.objects.filter(
            _between("occurred_at", start, end, aware=True),
            channel__in=IN_PERSON_CHANNELS,
            person__isnull=True,
        )
        .annotate(month_number=_local_month_number("occurred_at"))
        .values_list("organization_id", "month_number", "id")
        .order_by(),
        {"organization": ("int4", 0), "month": ("int4", 0), "contact": ("int4", 0)},
    )
    named = {name: np.concatenate([part[name] for part in named_parts]) for name in columns}
    anonymous_keys = np.array(
        [stable_key(f"anon{contact}") for contact in anonymous["contact"].tolist()],
        dtype=np.int64,
    )
    count = len(named["key"]) + len(anonymous_keys)
    return Packed(
        months=np.concatenate([named["month"], anonymous["month"]]),
        organizations=np.concatenate([named["organization"], anonymous["organization"]]),
        programs=np.full(count, -1, dtype=np.int32),
        keys=np.concatenate([_people_keys(named), anonymous_keys]),
        slots=np.concatenate(
            [np.full(len(named["key"]), 1, np.int32), np.full(len(anonymous_keys), 2, np.int32)]
        ).reshape(1, count),
        vocabulary=["", "accueil:named", "accueil:anonymous"],
    )


def people_supported_packed(start, end) -> Packed:
    """``people_supported`` column by column on PostgreSQL (a million enrollments a month
    nationally): the month, the age, the situation and the pseudonym's key computed by the
    database, the rows read as binary columns (``read_columns``), no Python object per row."""
    import numpy as np

    if connection.vendor != "postgresql":
        return Packed.of(people_supported(start, end))
    on = min(end - datetime.timedelta(days=1), timezone.localdate())
    first = Greatest("started_on", Value(start))
    situations = list(Situation.values)
    queryset = (
        _supported(start, end)
        .annotate(
            month_number=ExtractYear(first) * 12 + ExtractMonth(first) - 1,
            age=AgeOn(Value(on), "person__birth_date"),
            situation_number=Case(
                *(When(person__situation=s, then=Value(i)) for i, s in enumerate(situations)),
                default=Value(-1),
            ),
            key=PseudonymKey("person__identity_key"),
            named=_named(),
        )
        .values_list(
            "organization_id",
            "program_id",
            "month_number",
            "person_id",
            "key",
            "named",
            "situation_number",
            "age",
            "person__commune_id",
        )
    )
    no_age = -1000
    columns = read_columns(
        queryset,
        {
            "organization": ("int4", 0),
            "program": ("int4", -1),
            "month": ("int4", 0),
            **PERSON_COLUMNS,  # person, key, named
            "situation": ("int4", -1),
            "age": ("int4", no_age),
            "commune": ("int4", -1),
        },
    )
    keys = _people_keys(columns)
    vocabulary: dict[str, int] = {"": 0}

    def slot(values, label) -> Any:
        distinct, positions = np.unique(values, return_inverse=True)
        numbers = np.array(
            [vocabulary.setdefault(label(v), len(vocabulary)) for v in distinct.tolist()],
            dtype=np.int32,
        )
        return numbers[positions] if len(values) else np.zeros(0, dtype=np.int32)

    codes = _commune_codes()
    return Packed(
        months=columns["month"],
        organizations=columns["organization"],
        programs=columns["program"],
        keys=keys,
        slots=np.array(
            [
                slot(
                    columns["situation"],
                    lambda n: f"situation:{situations[n] if n >= 0 else UNKNOWN}",
                ),
                slot(columns["age"], lambda a: f"age:{_age_band_of(None if a == no_age else a)}"),
                slot(columns["commune"], lambda c: f"commune:{codes.get(c) or UNKNOWN}"),
            ],
            dtype=np.int32,
        ).reshape(3, len(keys)),
        vocabulary=list(vocabulary),
    )


def people_housed(start, end):
    exits = Exit.objects.filter(
        _between("exited_on", start, end, aware=False), outcome__in=HOUSING_OUTCOMES
    ).values_list(
        "enrollment__organization_id",
        "enrollment__program_id",
        "exited_on",
        "enrollment__person_id",
        "enrollment__person__identity_key",
    )
    for organization, program, day, person, identity in exits:
        yield Fact(organization, program, _month_of(day), _person_key(person, identity))
    leases = (
        Lease.objects.filter(_between("starts_on", start, end, aware=False))
        .exclude(status=LeaseStatus.DRAFT)
        .values_list("organization_id", "starts_on", "person_id", "person__identity_key")
    )
    for organization, day, person, identity in leases:
        yield Fact(organization, None, _month_of(day), _person_key(person, identity))


def activity_participants(start, end):
    yield from _monthly_totals(
        Attendance.objects.filter(_between("session__starts_at", start, end, aware=True)),
        when="session__starts_at",
        organization="session__organization_id",
        dimension="action",
        by="session__activity__kind",
    )
    yield from _monthly_totals(
        Session.objects.filter(
            _between("starts_at", start, end, aware=True), anonymous_count__gt=0
        ),
        when="starts_at",
        organization="organization_id",
        total=Sum("anonymous_count"),
        dimension="action",
        by="activity__kind",
    )


def housing_partners(start, end):
    contacts = (
        Contact.objects.filter(
            _between("occurred_at", start, end, aware=True),
            partner__kind__in=HOUSING_FIELD_KINDS,
        )
        .exclude(partner_id=F("organization_id"))
        .annotate(month=TruncMonth("occurred_at"))
        .values_list("organization_id", "month", "partner_id")
        .distinct()
        .order_by()
    )
    sent = (
        Referral.objects.filter(
            _between("sent_on", start, end, aware=False), receiver__kind__in=HOUSING_FIELD_KINDS
        )
        .annotate(month=TruncMonth("sent_on"))
        .values_list("sender_id", "month", "receiver_id")
        .distinct()
        .order_by()
    )
    received = (
        Referral.objects.filter(
            _between("sent_on", start, end, aware=False), sender__kind__in=HOUSING_FIELD_KINDS
        )
        .annotate(month=TruncMonth("sent_on"))
        .values_list("receiver_id", "month", "sender_id")
        .distinct()
        .order_by()
    )
    for rows in (contacts, sent, received):
        for organization, month, partner in rows:
            yield Fact(organization, None, _month_of(month), f"o{partner}")
    bookings = (
        BookingPeriod.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=start),
            starts_on__lt=end,
            is_active=True,
            booking__status=BookingStatus.ACTIVE,
            booking__organization__kind__in=HOUSING_FIELD_KINDS,
        )
        .exclude(booking__person__organization_id=F("booking__organization_id"))
        .values_list("booking__person__organization_id", "booking__organization_id", "starts_on")
        .order_by()
    )
    for organization, manager, starts_on in bookings:
        yield Fact(organization, None, _month_of(max(starts_on, start)), f"o{manager}")


# --- Housing -------------------------------------------------------------------------------------


def _mondays_between(start: datetime.date, end: datetime.date) -> int:
    """Mondays in [start, end)."""
    if end <= start:
        return 0
    first = start + datetime.timedelta(days=(7 - start.weekday()) % 7)
    return 0 if first >= end else (end - first - datetime.timedelta(days=1)).days // 7 + 1


def _bed_weeks(start, end) -> dict[int, tuple[int, int]]:
    """Per managing organization: (occupied, available) bed-weeks, as on the occupancy grid — a
    bed-week is its Monday; beds of units in works or out of service are not counted."""
    return _read_once(("bed_weeks", start, end), lambda: _count_bed_weeks(start, end))


def _count_bed_weeks(start, end) -> dict[int, tuple[int, int]]:
    available: dict[int, int] = defaultdict(int)
    beds = (
        Bed.objects.filter(unit__status=UnitStatus.AVAILABLE)
        .filter(Q(unit__in_service_on__isnull=True) | Q(unit__in_service_on__lt=end))
        .filter(Q(unit__out_of_service_on__isnull=True) | Q(unit__out_of_service_on__gt=start))
        .values("unit__organization_id", "unit__in_service_on", "unit__out_of_service_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in beds:
        # Only the weeks the unit is in service (housing.Unit.in_service): as on the grid.
        first = max(start, row["unit__in_service_on"] or start)
        last = min(end, row["unit__out_of_service_on"] or end)
        available[row["unit__organization_id"]] += row["n"] * _mondays_between(first, last)
    # Occupied bed-weeks summed by the database (nationally 375,000 booked periods a month): the
    # Mondays of each period within the month and the unit's service.
    first = Greatest("starts_on", Value(start), Coalesce("bed__unit__in_service_on", Value(start)))
    last = Least(
        Coalesce("ends_on", Value(end)),
        Value(end),
        Coalesce("bed__unit__out_of_service_on", Value(end)),
    )
    occupied = dict(
        BookingPeriod.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=start),
            starts_on__lt=end,
            is_active=True,
            booking__status=BookingStatus.ACTIVE,
            bed__unit__status=UnitStatus.AVAILABLE,
        )
        .values("bed__unit__organization_id")
        .annotate(n=Sum(MondaysBetween(first, last)))
        .values_list("bed__unit__organization_id", "n")
        .order_by()
    )
    return {o: (occupied.get(o) or 0, n) for o, n in available.items()}


class MondaysBetween(Func):
    """``_mondays_between`` in the database: the Mondays in [first, last), from the first Monday
    on or after ``first``."""

    output_field = IntegerField()

    def __init__(self, first, last):
        super().__init__(first, last)

    def _sql(self, compiler, julian: str, weekday: str, whole: str):
        first, first_params = compiler.compile(self.source_expressions[0])
        last, last_params = compiler.compile(self.source_expressions[1])
        # Days from ``first`` to its first Monday: weekday() counts from Monday = 1, Sunday = 0
        # or 7 (8 - day, modulo 7).
        monday = f"({julian.format(first)} + (8 - {weekday.format(first)}) %% 7)"
        sql = (
            f"(CASE WHEN {julian.format(last)} <= {monday} THEN 0 "
            f"ELSE {whole.format(f'({julian.format(last)} - {monday} - 1) / 7')} + 1 END)"
        )
        # Parameters in the order the operands appear: last, first ×2, last, first ×2.
        params = (*last_params, *first_params, *first_params) * 2
        return sql, params

    def as_postgresql(self, compiler, connection, **extra_context):
        return self._sql(compiler, "{0}", "EXTRACT(ISODOW FROM {0})::int", "{0}")

    def as_sqlite(self, compiler, connection, **extra_context):
        return self._sql(
            compiler,
            "julianday({0})",
            "CAST(strftime('%%w', {0}) AS INTEGER)",
            "CAST({0} AS INTEGER)",
        )


def occupancy_rate(start, end):
    month = _month_of(start)
    for organization, (occupied, available) in _bed_weeks(start, end).items():
        if available:
            yield Fact(organization, None, month, amount=occupied, denominator=available)


def empty_bed_weeks(start, end):
    month = _month_of(start)
    for organization, (occupied, available) in _bed_weeks(start, end).items():
        if available:
            yield Fact(organization, None, month, amount=available - occupied)


def average_stay(start, end):
    rows = Lease.objects.filter(
        _between("ends_on", start, end, aware=False),
        status__in=(LeaseStatus.ENDED, LeaseStatus.SLID),
    ).values_list("organization_id", "starts_on", "ends_on")
    for organization, starts_on, ends_on in rows:
        yield Fact(
            organization,
            None,
            _month_of(ends_on),
            amount=(ends_on - starts_on).days,
            denominator=1,
        )


def arrears_rate(start, end):
    """Share of the rent and charges called in the period (after allowances paid to the manager)
    still unpaid ``ANCRAGE_ARREARS_DELAY_DAYS`` after its end (or today, if sooner)."""
    measured = min(
        end + datetime.timedelta(days=settings.ANCRAGE_ARREARS_DELAY_DAYS),
        timezone.localdate() + datetime.timedelta(days=1),
    )
    # Payments settle the oldest sums first: what is unpaid of the period is what the payments
    # made until ``measured`` left of everything called until the end of the period.
    due_in: dict[tuple[int, int], float] = defaultdict(float)
    balance: dict[tuple[int, int], float] = defaultdict(float)
    charges = (
        Charge.objects.filter(month__lt=end)
        .values("organization_id", "person_id")
        .annotate(
            total=Sum("amount"),
            period=Sum("amount", filter=Q(month__gte=start, month__lt=end)),
        )
        .order_by()
    )
    for row in charges:
        key = (row["organization_id"], row["person_id"])
        balance[key] += float(row["total"] or 0)
        due_in[key] += float(row["period"] or 0)
    allowances = (
        ThirdPartyPayment.objects.filter(month__lt=end)
        .values("organization_id", "person_id")
        .annotate(
            total=Sum("amount"),
            period=Sum("amount", filter=Q(month__gte=start, month__lt=end)),
        )
        .order_by()
    )
    for row in allowances:
        key = (row["organization_id"], row["person_id"])
        balance[key] -= float(row["total"] or 0)
        due_in[key] -= float(row["period"] or 0)
    payments = (
        Payment.objects.filter(paid_on__lt=measured)
        .values("organization_id", "person_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in payments:
        balance[(row["organization_id"], row["person_id"])] -= float(row["total"] or 0)
    month = _month_of(start)
    for (organization, _person), due in due_in.items():
        if due <= 0:
            continue
        unpaid = min(max(balance[(organization, _person)], 0.0), due)
        yield Fact(organization, None, month, amount=round(unpaid, 2), denominator=round(due, 2))


# --- Support -------------------------------------------------------------------------------------


def _exits(start, end):
    return Exit.objects.filter(_between("exited_on", start, end, aware=False))


def time_to_housing(start, end):
    rows = (
        _exits(start, end)
        .filter(outcome__in=HOUSING_OUTCOMES)
        .values_list(
            "enrollment__organization_id",
            "enrollment__program_id",
            "exited_on",
            "enrollment__requested_on",
        )
    )
    for organization, program, exited_on, requested_on in rows:
        yield Fact(
            organization,
            program,
            _month_of(exited_on),
            amount=max((exited_on - requested_on).days, 0),
            denominator=1,
        )


def exits_by_outcome(start, end):
    yield from _monthly_totals(
        _exits(start, end),
        when="exited_on",
        organization="enrollment__organization_id",
        program="enrollment__program_id",
        dimension="sortie",
        by="outcome",
    )


def employment_exit_rate(start, end):
    """Exits to work or training over the exits of the period; the exits of a home-adaptation or
    staying-at-home pathway are not in the base (1000 LIANES: these seniors were not looking for
    work), every other exit is."""
    rows = (
        _exits(start, end)
        .exclude(enrollment__pathway__in=ADAPTATION_PATHWAYS)
        .annotate(month=TruncMonth("exited_on"))
        .values("enrollment__organization_id", "enrollment__program_id", "month")
        .annotate(n=Count("id"), positive=Count("id", filter=Q(outcome=ExitOutcome.EMPLOYMENT)))
        .order_by()
    )
    for row in rows:
        yield Fact(
            row["enrollment__organization_id"],
            row["enrollment__program_id"],
            _month_of(row["month"]),
            amount=row["positive"],
            denominator=row["n"],
        )


def ready_for_housing(start, end):
    rows = (
        _exits(start, end)
        .filter(ready_for_housing=True)
        .values_list(
            "enrollment__organization_id",
            "enrollment__program_id",
            "exited_on",
            "enrollment__person_id",
            "enrollment__person__identity_key",
        )
    )
    for organization, program, day, person, identity in rows:
        yield Fact(organization, program, _month_of(day), _person_key(person, identity))


def pathways_started(start, end):
    yield from _monthly_totals(
        Enrollment.objects.filter(_between("started_on", start, end, aware=False)),
        when="started_on",
        organization="organization_id",
        program="program_id",
    )


# --- Individual pathways (1000 LIANES, seed 004) -------------------------------------------------


def adapted_homes(start, end):
    """Homes recorded as adapted in the period (works done): the person's home, once even when
    two pathways adapted it."""
    rows = Enrollment.objects.filter(
        _between("home_adapted_on", start, end, aware=False)
    ).values_list(
        "organization_id", "program_id", "home_adapted_on", "person_id", "person__identity_key"
    )
    for organization, program, day, person, identity in rows:
        yield Fact(organization, program, _month_of(day), "h" + _person_key(person, identity))


def insertion_pathways_started(start, end):
    """People whose insertion pathway started (« accompagnement » step) in the period."""
    rows = Enrollment.objects.filter(
        _between("started_on", start, end, aware=False), pathway=Pathway.INSERTION
    ).values_list(
        "organization_id", "program_id", "started_on", "person_id", "person__identity_key"
    )
    for organization, program, day, person, identity in rows:
        yield Fact(organization, program, _month_of(day), _person_key(person, identity))


def kept_at_home_rate(start, end):
    """For each person whose adaptation or staying-at-home pathway ended, their latest known
    answer before the end of the period — the exit, then the 6- and 12-month follow-ups —, when
    it falls in the period: still in their home (exit « maintien dans le logement » and, at a
    follow-up, still in that home) or not. A follow-up where the person could not be reached, or
    whose housing is unknown, says nothing: the previous answer stands."""
    exits = (
        Exit.objects.filter(exited_on__lt=end, enrollment__pathway__in=ADAPTATION_PATHWAYS)
        .values_list(
            "id",
            "enrollment__organization_id",
            "enrollment__program_id",
            "exited_on",
            "outcome",
            "enrollment__person_id",
            "enrollment__person__identity_key",
        )
        .order_by()
    )
    latest: dict[int, tuple[datetime.date, str, bool]] = {}
    about: dict[int, tuple[int, int | None, str]] = {}
    for exit_id, organization, program, day, outcome, person, identity in exits:
        about[exit_id] = (organization, program, _person_key(person, identity))
        latest[exit_id] = (day, "exit", outcome == ExitOutcome.KEPT_HOME)
    checks = (
        FollowUp.objects.filter(
            exit__exited_on__lt=end,
            exit__enrollment__pathway__in=ADAPTATION_PATHWAYS,
            done_on__lt=end,
            reached=True,
        )
        .exclude(housing__in=("", FollowUpHousing.UNKNOWN))
        .values_list("exit_id", "done_on", "kind", "housing", "exit__outcome")
        .order_by("done_on", "id")
    )
    for exit_id, done_on, kind, housing, outcome in checks:
        if done_on is not None and exit_id in latest and done_on >= latest[exit_id][0]:
            kept = outcome == ExitOutcome.KEPT_HOME and housing == FollowUpHousing.SAME_HOME
            latest[exit_id] = (done_on, kind, kept)
    for exit_id, (day, moment, kept) in latest.items():
        if day < start:
            continue
        owner, in_program, _key = about[exit_id]
        yield Fact(
            owner,
            in_program,
            _month_of(day),
            categories=(f"moment:{moment}",),
            amount=1.0 if kept else 0.0,
            denominator=1.0,
        )


# --- Observatory of needs (seed 003) and the employee partnership (seed 002) --------------------


class AgeOn(Func):
    """Whole years between a birth date and a day, in the database, exactly as ``age_on``: the
    year's difference, less one before the birthday."""

    output_field = IntegerField()

    def __init__(self, day, birth_date):
        super().__init__(day, birth_date)

    def as_sqlite(self, compiler, connection, **extra_context):
        day, day_params = compiler.compile(self.source_expressions[0])
        birth, birth_params = compiler.compile(self.source_expressions[1])
        year, monthday = "CAST(strftime('%%Y', {0}) AS INTEGER)", "strftime('%%m-%%d', {0})"
        sql = (
            f"({year.format(day)} - {year.format(birth)} - "
            f"CASE WHEN {monthday.format(day)} < {monthday.format(birth)} THEN 1 ELSE 0 END)"
        )
        # Each operand appears twice in the SQL: its parameters too, in the same order.
        return sql, (*day_params, *birth_params, *day_params, *birth_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        # PostgreSQL's age() counts whole years the same way (the months and days subtracted with
        # a borrow): one call instead of six date_part (0.2-0.4 s of a national month's 700,000
        # requests). Before the birth its years run towards zero, where age_on's keep counting
        # down: there floor((yyyymmdd of the day - yyyymmdd of the birth) / 10000) does it.
        day, day_params = compiler.compile(self.source_expressions[0])
        birth, birth_params = compiler.compile(self.source_expressions[1])

        def digits(date_sql: str) -> str:
            return (
                f"(date_part('year', {date_sql}) * 10000 + date_part('month', {date_sql}) * 100 "
                f"+ date_part('day', {date_sql}))"
            )

        sql = (
            f"CASE WHEN {birth} > {day} "
            f"THEN CAST(floor(({digits(day)} - {digits(birth)}) / 10000) AS INTEGER) "
            f"ELSE CAST(date_part('year', age({day}, {birth})) AS INTEGER) END"
        )
        return sql, (
            *birth_params,
            *day_params,
            *day_params * 3,
            *birth_params * 3,
            *day_params,
            *birth_params,
        )


def _age_band_of(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    if age < 18:
        return AgeBand.UNDER_18
    if age <= 20:
        return AgeBand.FROM_18_TO_20
    if age <= 25:
        return AgeBand.FROM_21_TO_25
    if age <= 30:
        return AgeBand.FROM_26_TO_30
    return AgeBand.OVER_30


class AgeBandOf(Func):
    """``_age_band_of`` of an age, in the database: grouping by band, not by age, makes five times
    fewer groups. PostgreSQL finds the band from the age computed once (``width_bucket``); a
    ``CASE`` would compute it again for each band it tries."""

    output_field = CharField()
    # The first age of each band after the first, and the bands in order.
    BOUNDS = (18, 21, 26, 31)
    BANDS = (
        AgeBand.UNDER_18,
        AgeBand.FROM_18_TO_20,
        AgeBand.FROM_21_TO_25,
        AgeBand.FROM_26_TO_30,
        AgeBand.OVER_30,
    )

    def __init__(self, age):
        super().__init__(age)

    def as_postgresql(self, compiler, connection, **extra_context):
        age, params = compiler.compile(self.source_expressions[0])
        bands = ", ".join(f"'{band.value}'" for band in self.BANDS)
        bounds = ", ".join(str(bound) for bound in self.BOUNDS)
        sql = f"COALESCE((ARRAY[{bands}])[width_bucket({age}, ARRAY[{bounds}]) + 1], '{UNKNOWN}')"
        return sql, params

    def as_sql(self, compiler, connection, function=None, template=None, arg_joiner=None, **extra):
        age = self.source_expressions[0]
        case = Case(
            When(IsNull(age, True), then=Value(UNKNOWN)),
            *(
                When(LessThan(age, Value(bound)), then=Value(band.value))
                for bound, band in zip(self.BOUNDS, self.BANDS, strict=False)
            ),
            default=Value(self.BANDS[-1].value),
            output_field=CharField(),
        )
        return compiler.compile(case)


def requests_received(start, end):
    """Each incoming request (a contact from the public, not from a partner), by subject, age band,
    situation and commune of the person when known (anonymous: « inconnu »). Counted in the
    database by organization, month and detail (the age on the day of the request): nationally a
    month holds more than a million requests, a few thousand groups."""
    codes = _commune_codes()
    zone = timezone.get_current_timezone()
    rows = (
        Contact.objects.filter(
            _between("occurred_at", start, end, aware=True),
            direction=Direction.INCOMING,
            partner=None,
        )
        .annotate(
            month=TruncMonth("occurred_at", tzinfo=zone),
            band=AgeBandOf(AgeOn(TruncDate("occurred_at", tzinfo=zone), F("person__birth_date"))),
        )
        .values_list(
            "organization_id",
            "month",
            "subjects",
            "person__situation",
            "band",
            "person__commune_id",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    for organization, month, subjects, situation, band, commune_id, count in rows:
        yield Fact(
            organization,
            None,
            _month_of(month),
            categories=(
                *(f"objet:{s}" for s in (subjects or [UNKNOWN])),
                f"age:{band}",
                f"situation:{situation or UNKNOWN}",
                f"commune:{codes.get(commune_id, UNKNOWN)}",
            ),
            amount=count,
        )


NEED_PRIORITIES = (Priority.MEDIUM, Priority.HIGH)


def needs_assessed(start, end):
    """Each assessment, with the domains where it found a need (medium or high priority)."""
    fields = [f"{domain}_priority" for domain, _label in ASSESSMENT_DOMAINS]
    rows = Assessment.objects.filter(_between("assessed_on", start, end, aware=False)).values_list(
        "organization_id", "enrollment__program_id", "assessed_on", *fields
    )
    for organization, program, day, *priorities in rows:
        yield Fact(
            organization,
            program,
            _month_of(day),
            categories=tuple(
                f"domaine:{domain}"
                for (domain, _label), priority in zip(ASSESSMENT_DOMAINS, priorities, strict=True)
                if priority in NEED_PRIORITIES
            ),
        )


def unmet_needs(start, end):
    """Steps refused (by kind: the need the step was for) and referrals refused by the
    organization asked, on the day of the answer."""
    steps = Step.objects.filter(
        _between("done_on", start, end, aware=False), status=StepStatus.REFUSED
    ).values_list("organization_id", "enrollment__program_id", "done_on", "kind")
    for organization, program, day, kind in steps:
        yield Fact(organization, program, _month_of(day), categories=(f"motif:{kind}",))
    referrals = Referral.objects.filter(
        _between("decided_on", start, end, aware=False), status=ReferralStatus.REFUSED
    ).values_list("sender_id", "decided_on")
    for organization, day in referrals:
        yield Fact(organization, None, _month_of(day), categories=("motif:referral_refused",))


def referrals_received(start, end):
    """Referrals received by the organization, on the day they were sent."""
    yield from _monthly_totals(
        Referral.objects.filter(_between("sent_on", start, end, aware=False)),
        when="sent_on",
        organization="receiver_id",
    )


def referrals_accepted(start, end):
    """Referrals the organization accepted, on the day of its answer."""
    yield from _monthly_totals(
        Referral.objects.filter(
            _between("decided_on", start, end, aware=False), status=ReferralStatus.ACCEPTED
        ),
        when="decided_on",
        organization="receiver_id",
    )


def sublets_slid(start, end):
    """Sub-lets turned into a standard lease in the household's name (bail glissant), on the
    day of the slide."""
    yield from _monthly_totals(
        Lease.objects.filter(_between("slid_on", start, end, aware=False), is_sliding=True),
        when="slid_on",
        organization="organization_id",
    )


# --- Packs of services (catalogue) ---------------------------------------------------------------


def _packs():
    return list(Pack.objects.prefetch_related("residences").order_by("pk"))


def services_delivered(start, end):
    yield from _monthly_totals(
        Delivery.objects.filter(_between("delivered_on", start, end, aware=False)),
        when="delivered_on",
        organization="organization_id",
        program="entitlement__pack__program_id",
        dimension="categorie",
        by="entitlement__category",
        total=Sum("quantity"),
    )


def services_cost(start, end):
    rows = (
        Delivery.objects.filter(_between("delivered_on", start, end, aware=False))
        .annotate(month=TruncMonth("delivered_on"))
        .values(
            "organization_id", "entitlement__pack__program_id", "month", "entitlement__category"
        )
        .annotate(cents=Sum(F("quantity") * F("unit_cost_cents")))
        .order_by()
    )
    for row in rows:
        yield Fact(
            row["organization_id"],
            row["entitlement__pack__program_id"],
            _month_of(row["month"]),
            categories=(f"categorie:{row['entitlement__category']}",),
            amount=(row["cents"] or 0) / 100,
        )


def _residents_and_use(start, end):
    """Per pack: the residents housed over [start, end) and, per resident, the cost (cents) and
    number of their deliveries in it."""
    use: dict[tuple[int, int], tuple[int, int]] = {}
    rows = (
        Delivery.objects.filter(_between("delivered_on", start, end, aware=False))
        .values("entitlement__pack_id", "person_id")
        .annotate(n=Count("id"), cents=Sum(F("quantity") * F("unit_cost_cents")))
        .order_by()
    )
    for row in rows:
        use[(row["entitlement__pack_id"], row["person_id"])] = (row["n"], row["cents"] or 0)
    for pack in _packs():
        housed = pack_balances.housed(pack, start, end)
        yield pack, [(person, *use.get((pack.pk, person), (0, 0))) for person in sorted(housed)]


def residents_served_rate(start, end):
    month = _month_of(start)
    for pack, residents in _residents_and_use(start, end):
        if residents:
            served = sum(1 for _person, n, _cents in residents if n)
            yield Fact(
                pack.organization_id,
                pack.program_id,
                month,
                amount=served,
                denominator=len(residents),
            )


def cost_per_resident(start, end):
    month = _month_of(start)
    for pack, residents in _residents_and_use(start, end):
        if residents:
            cents = sum(c for _person, _n, c in residents)
            yield Fact(
                pack.organization_id,
                pack.program_id,
                month,
                amount=cents / 100,
                denominator=len(residents),
            )


def unused_entitlements(start, end):
    """Per month: what the month's residents left of their monthly and weekly entitlements;
    in December, of their yearly ones too (the year's window closes)."""
    month = start.replace(day=1)
    while month < end:
        following = pack_balances.month_of(month)[1]
        for pack in _packs():
            entitlements = [
                e
                for e in pack.entitlements.all()
                if e.period in (Period.MONTH, Period.WEEK)
                or (e.period == Period.YEAR and month.month == 12)
            ]
            housed = pack_balances.housed(pack, month, following)
            if not entitlements or not housed:
                continue
            left: dict[str, int] = defaultdict(int)
            for balances in pack_balances.balances_of(
                pack, month, person_ids=sorted(housed), entitlements=entitlements
            ).values():
                for balance in balances:
                    left[balance.entitlement.category] += balance.left
            for category, amount in sorted(left.items()):
                yield Fact(
                    pack.organization_id,
                    pack.program_id,
                    month,
                    categories=(f"categorie:{category}",),
                    amount=amount,
                )
        month = following


# --- Citizen pathway and residence life (seeds 000 and 001) ------------------------------------


def pathway_modules_done_rate(start, end):
    """Each module counted in an apprentice's pathway open during the period (the required ones,
    all when none is): validated by the end of the period — the hours attended reach the hours
    expected — or not; by theme and by the school or partner that delivers it."""
    pathways = list(
        CitizenPathway.objects.filter(opened_on__lt=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .values_list("organization_id", "template_id", "template__program_id", "person_id")
    )
    if not pathways:
        return
    modules: dict[int, list[tuple]] = defaultdict(list)
    for row in PathwayModule.objects.filter(template_id__in={p[1] for p in pathways}).values_list(
        "template_id", "activity_id", "theme", "delivered_by__name", "expected_hours", "is_required"
    ):
        modules[row[0]].append(row[1:])
    minutes = {
        (row["person_id"], row["session__activity_id"]): row["m"]
        for row in Attendance.objects.filter(
            session__activity_id__in=[m[0] for ms in modules.values() for m in ms],
            person_id__in={p[3] for p in pathways},
            session__starts_at__lt=_aware(end),
        )
        .values("person_id", "session__activity_id")
        .annotate(m=Sum("session__duration_minutes"))
        .order_by()
    }
    month = start.replace(day=1)
    for organization, template, program, person in pathways:
        counted = [m for m in modules[template] if m[4]] or modules[template]
        for activity, theme, partner, hours, _required in counted:
            yield Fact(
                organization,
                program,
                month,
                categories=(f"theme:{theme}", f"intervenant:{partner}"),
                amount=1.0 if minutes.get((person, activity), 0) >= hours * 60 else 0.0,
                denominator=1.0,
            )


def residents_participation_rate(start, end):
    """For each residence with activities of its own: the residents housed during the period who
    came to at least one of its sessions, over its residents."""
    from ancrage.housing.queries import stays

    residences = (
        Activity.objects.filter(residence__isnull=False)
        .values_list("residence_id", "residence__organization_id", "residence__name")
        .distinct()
        .order_by()
    )
    month = start.replace(day=1)
    for residence, organization, name in residences:
        residents = set(stays([residence], start, end))
        if not residents:
            continue
        came = set(
            Attendance.objects.filter(
                session__activity__residence_id=residence,
                person_id__in=residents,
                session__starts_at__gte=_aware(start),
                session__starts_at__lt=_aware(end),
            ).values_list("person_id", flat=True)
        )
        yield Fact(
            organization,
            None,
            month,
            categories=(f"residence:{name}",),
            amount=float(len(came)),
            denominator=float(len(residents)),
        )


def survey_satisfaction_rate(start, end):
    """Answers 3 or 4 (« plutôt » or « très satisfait·e ») to the scale questions of the residents'
    surveys answered in the period, over the scale answers; a residence with fewer answers than
    the small-cell threshold in the period is left out (anonymous answers, no breakdown)."""
    from ancrage.housing.models import QuestionKind, SurveyAnswer, SurveyResponse

    threshold = settings.ANCRAGE_SMALL_CELL_THRESHOLD
    responses = (
        SurveyResponse.objects.filter(answered_on__gte=start, answered_on__lt=end)
        .values("survey_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    enough = [row["survey_id"] for row in responses if row["n"] >= threshold]
    if not enough:
        return
    rows = (
        SurveyAnswer.objects.filter(
            response__survey_id__in=enough,
            response__answered_on__gte=start,
            response__answered_on__lt=end,
            question__kind=QuestionKind.SCALE,
        )
        .values(
            "response__survey__organization_id",
            "response__survey__residence__name",
        )
        .annotate(n=Count("id"), satisfied=Count("id", filter=Q(value__gte=3)))
        .order_by()
    )
    month = start.replace(day=1)
    for row in rows:
        yield Fact(
            row["response__survey__organization_id"],
            None,
            month,
            categories=(f"residence:{row['response__survey__residence__name']}",),
            amount=float(row["satisfied"]),
            denominator=float(row["n"]),
        )


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator(
            "contacts_telephone_mail",
            "Contacts téléphoniques et par e-mail",
            Unit.EVENTS,
            Kind.SUM,
            "Contacts entrants par téléphone ou par e-mail, anonymes compris ; les échanges avec une "
            "structure partenaire ne sont pas comptés.",
            contacts_phone_email,
            "cllaj",
            ("canal",),
        ),
        Indicator(
            "personnes_recues",
            "Jeunes reçus physiquement",
            Unit.PEOPLE,
            Kind.DISTINCT,
            "Personnes venues à l'accueil, à une permanence, à un atelier ou à un rendez-vous "
            "honoré : chaque personne nommée compte une fois, même venue plusieurs fois ; chaque "
            "visite anonyme compte une fois (une personne qui n'a pas donné son nom ne peut pas "
            "être reconnue d'une visite à l'autre). Le détail « Accueil » montre les deux parts.",
            people_received,
            "cllaj",
            ("accueil",),
            packed=people_received_packed,
        ),
        Indicator(
            "personnes_accompagnees",
            "Jeunes accompagnés",
            Unit.PEOPLE,
            Kind.DISTINCT,
            "Personnes dont l'accompagnement était en cours pendant la période (commencé avant sa "
            "fin, pas terminé avant son début) ; une personne suivie par deux structures compte "
            "une fois dans les totaux communs.",
            people_supported,
            "cllaj",
            ("situation", "age", "commune"),
            packed=people_supported_packed,
        ),
        Indicator(
            "acces_logement",
            "Jeunes ayant accédé au logement",
            Unit.PEOPLE,
            Kind.DISTINCT,
            "Personnes sorties d'accompagnement vers un logement autonome (parc social, parc privé, "
            "résidence) ou entrées dans un logement par un bail pendant la période.",
            people_housed,
            "cllaj",
        ),
        Indicator(
            "participants_actions",
            "Participants aux actions collectives et temps forts",
            Unit.EVENTS,
            Kind.SUM,
            "Présences aux séances des ateliers, informations collectives, temps forts et salons : "
            "participants nommés (une fois par séance) et comptages de personnes non nommées.",
            activity_participants,
            "cllaj",
            ("action",),
        ),
        Indicator(
            "partenaires_logement",
            "Partenaires du champ du logement mobilisés",
            Unit.ORGANIZATIONS,
            Kind.DISTINCT,
            "Bailleurs sociaux et gestionnaires de résidence avec qui la structure a eu, pendant la "
            "période, une orientation (envoyée ou reçue), une réservation pour une personne qu'elle "
            "suit ou un contact enregistré.",
            housing_partners,
            "cllaj",
        ),
        Indicator(
            "parcours_engages",
            "Parcours engagés",
            Unit.EVENTS,
            Kind.SUM,
            "Accompagnements commencés pendant la période.",
            pathways_started,
            "support",
        ),
        Indicator(
            "sorties",
            "Sorties d'accompagnement",
            Unit.EVENTS,
            Kind.SUM,
            "Accompagnements terminés pendant la période, par situation à la sortie.",
            exits_by_outcome,
            "support",
            ("sortie",),
        ),
        Indicator(
            "taux_sorties_emploi",
            "Taux de sorties positives vers l'emploi ou la formation",
            Unit.PERCENT,
            Kind.RATE,
            "Sorties vers l'emploi ou la formation, sur l'ensemble des sorties de la période ; les "
            "sorties d'un parcours d'adaptation du logement ou de maintien à domicile ne sont pas "
            "dans la base (1000 LIANES).",
            employment_exit_rate,
            "support",
        ),
        Indicator(
            "delai_acces_logement",
            "Délai moyen de la demande au logement",
            Unit.DAYS,
            Kind.MEAN,
            "Pour les sorties vers un logement autonome pendant la période : jours entre la demande "
            "d'accompagnement et la sortie, en moyenne.",
            time_to_housing,
            "support",
        ),
        Indicator(
            "prets_au_logement",
            "Ménages prêts au logement",
            Unit.PEOPLE,
            Kind.DISTINCT,
            "Personnes sorties pendant la période avec un ménage jugé prêt à accéder à un logement "
            "ordinaire.",
            ready_for_housing,
            "support",
        ),
        Indicator(
            "demandes_recues",
            "Demandes reçues",
            Unit.EVENTS,
            Kind.SUM,
            "Contacts entrants du public (pas des partenaires), tous canaux : chaque demande compte, "
            "détaillée par objet, tranche d'âge, situation et commune de la personne quand elle "
            "est connue (« inconnu » pour une demande anonyme). Une demande à plusieurs objets "
            "compte une fois dans le total et dans chacun de ses objets.",
            requests_received,
            "needs",
            ("objet", "age", "situation", "commune"),
        ),
        Indicator(
            "besoins_diagnostics",
            "Diagnostics et besoins relevés",
            Unit.EVENTS,
            Kind.SUM,
            "Diagnostics réalisés pendant la période ; le détail compte, par domaine, les "
            "diagnostics où le besoin est de priorité moyenne ou forte.",
            needs_assessed,
            "needs",
            ("domaine",),
        ),
        Indicator(
            "besoins_non_couverts",
            "Refus et besoins non couverts",
            Unit.EVENTS,
            Kind.SUM,
            "Démarches refusées (par démarche : le besoin qu'elle devait couvrir) et orientations "
            "refusées par la structure sollicitée, à la date de la réponse.",
            unmet_needs,
            "needs",
            ("motif",),
        ),
        Indicator(
            "orientations_recues",
            "Orientations reçues",
            Unit.EVENTS,
            Kind.SUM,
            "Orientations adressées à la structure par un partenaire, à la date de l'envoi.",
            referrals_received,
            "partnership",
        ),
        Indicator(
            "orientations_acceptees",
            "Orientations acceptées",
            Unit.EVENTS,
            Kind.SUM,
            "Orientations que la structure a acceptées, à la date de sa réponse.",
            referrals_accepted,
            "partnership",
        ),
        Indicator(
            "baux_glissants_aboutis",
            "Baux glissants aboutis",
            Unit.EVENTS,
            Kind.SUM,
            "Sous-locations devenues un bail au nom du ménage (glissement du bail) pendant la "
            "période.",
            sublets_slid,
            "partnership",
        ),
        Indicator(
            "logements_adaptes",
            "Logements adaptés",
            Unit.HOMES,
            Kind.DISTINCT,
            "Logements enregistrés comme adaptés pendant la période, une fois les travaux faits "
            "(des travaux seulement prévus ne comptent pas) : le logement de la personne compte "
            "une fois, même si deux parcours l'ont adapté.",
            adapted_homes,
            "lianes",
        ),
        Indicator(
            "parcours_insertion",
            "Parcours d'insertion lancés",
            Unit.PEOPLE,
            Kind.DISTINCT,
            "Personnes dont un parcours d'insertion professionnelle a commencé (étape "
            "« Accompagnement ») pendant la période ; une personne suivie par deux structures "
            "compte une fois dans les totaux communs, et ses autres parcours (adaptation du "
            "logement, maintien à domicile) ne comptent pas ici.",
            insertion_pathways_started,
            "lianes",
        ),
        Indicator(
            "taux_maintien_domicile",
            "Taux de maintien à domicile",
            Unit.PERCENT,
            Kind.RATE,
            "Personnes sorties d'un parcours d'adaptation du logement ou de maintien à domicile : "
            "part de celles qui vivent toujours dans leur logement à leur dernière nouvelle de la "
            "période — la sortie (« Maintien dans le logement »), puis les suivis à 6 et 12 mois "
            "(« Toujours dans le logement »). Maintenue à 6 mois mais plus à 12, une personne "
            "compte comme non maintenue sur une période qui contient le suivi à 12 mois ; un suivi "
            "où elle n'a pas été jointe ne change rien.",
            kept_at_home_rate,
            "lianes",
            ("moment",),
            year_is_direct=True,
        ),
        Indicator(
            "taux_occupation",
            "Taux d'occupation",
            Unit.PERCENT,
            Kind.RATE,
            "Semaines-lits occupées sur semaines-lits disponibles (une semaine compte par son "
            "lundi ; les logements en travaux ou hors service ne sont pas comptés, ni les "
            "semaines avant la mise en service d'un logement ou après sa sortie de service).",
            occupancy_rate,
            "housing",
        ),
        Indicator(
            "semaines_lits_vides",
            "Semaines-lits vides",
            Unit.BED_WEEKS,
            Kind.SUM,
            "Semaines-lits disponibles sans occupant·e : la même base que le taux d'occupation, "
            "la grille d'occupation et l'occupation d'une résidence sur une période.",
            empty_bed_weeks,
            "housing",
        ),
        Indicator(
            "duree_moyenne_sejour",
            "Durée moyenne de séjour",
            Unit.DAYS,
            Kind.MEAN,
            "Pour les baux terminés pendant la période : jours entre la prise d'effet et la fin, "
            "en moyenne.",
            average_stay,
            "housing",
        ),
        Indicator(
            "taux_impayes",
            "Taux d'impayés",
            Unit.PERCENT,
            Kind.RATE,
            "Part des loyers et charges appelés sur la période (après les aides versées en tiers "
            "payant) qui restait impayée au terme du délai d'impayé suivant la fin de la période.",
            arrears_rate,
            "housing",
            year_is_direct=True,
        ),
        Indicator(
            "prestations_delivrees",
            "Prestations délivrées aux résident·es",
            Unit.EVENTS,
            Kind.SUM,
            "Prestations des packs de services (séances, repas, titres de transport…), en "
            "quantités, à leur date, par catégorie de droit.",
            services_delivered,
            "services",
            ("categorie",),
        ),
        Indicator(
            "part_residents_servis",
            "Part des résident·es ayant utilisé un service",
            Unit.PERCENT,
            Kind.RATE,
            "Résident·es (hébergé·es au moins un jour dans une résidence d'un pack pendant la "
            "période) ayant reçu au moins une prestation du pack pendant la période.",
            residents_served_rate,
            "services",
            year_is_direct=True,
        ),
        Indicator(
            "cout_prestations",
            "Coût des prestations",
            Unit.EUROS,
            Kind.SUM,
            "Quantité × coût unitaire des prestations de la période, quel qu'en soit le payeur, "
            "par catégorie : les mêmes montants que le relevé mensuel de la résidence.",
            services_cost,
            "services",
            ("categorie",),
        ),
        Indicator(
            "cout_par_resident",
            "Coût des prestations par résident·e",
            Unit.EUROS,
            Kind.MEAN,
            "Coût des prestations de la période divisé par le nombre de résident·es hébergé·es "
            "pendant la période (qu'ils aient utilisé un service ou non).",
            cost_per_resident,
            "services",
            year_is_direct=True,
        ),
        Indicator(
            "droits_non_utilises",
            "Droits non utilisés",
            Unit.EVENTS,
            Kind.SUM,
            "Ce que les résident·es du mois n'ont pas utilisé de leurs droits mensuels et "
            "hebdomadaires (au prorata de leur présence) ; en décembre, de leurs droits annuels "
            "aussi. Les droits « pour tout le séjour » ne sont pas comptés.",
            unused_entitlements,
            "services",
            ("categorie",),
        ),
        Indicator(
            "modules_parcours_valides",
            "Modules du parcours citoyen validés",
            Unit.PERCENT,
            Kind.RATE,
            "Pour chaque alternant·e dont le parcours citoyen était ouvert pendant la période, "
            "chaque module obligatoire (tous les modules quand aucun ne l'est) : part de ceux "
            "validés à la fin de la période, c'est-à-dire dont les heures de présence atteignent "
            "les heures prévues. Par thème et par école ou partenaire qui anime le module.",
            pathway_modules_done_rate,
            "residence_life",
            ("theme", "intervenant"),
            year_is_direct=True,
        ),
        Indicator(
            "participation_residents",
            "Résident·es venu·es aux activités de leur résidence",
            Unit.PERCENT,
            Kind.RATE,
            "Pour chaque résidence qui a ses propres activités : part des résident·es logé·es "
            "pendant la période venu·es à au moins une séance de ces activités.",
            residents_participation_rate,
            "residence_life",
            ("residence",),
            year_is_direct=True,
        ),
        Indicator(
            "satisfaction_residents",
            "Résident·es satisfait·es (enquête annuelle)",
            Unit.PERCENT,
            Kind.RATE,
            "Réponses « plutôt » ou « très satisfait·e » aux questions à échelle de l'enquête de "
            "satisfaction, sur l'ensemble des réponses à ces questions. Les réponses sont "
            "anonymes ; une résidence qui a moins de réponses que le seuil de secret statistique "
            "sur la période n'est pas comptée.",
            survey_satisfaction_rate,
            "residence_life",
            ("residence",),
            year_is_direct=True,
        ),
    )
}

# The six indicators of the CLLAJ annual report, in the funder's order.
CLLAJ_SIX = (
    "contacts_telephone_mail",
    "personnes_recues",
    "personnes_accompagnees",
    "acces_logement",
    "participants_actions",
    "partenaires_logement",
)


def category_label(category: str) -> tuple[str, str]:
    """``"canal:phone"`` → ``("Canal", "Téléphone")``; commune codes are resolved by the caller."""
    dimension_code, _, value = category.partition(":")
    dimension = DIMENSIONS.get(dimension_code)
    if dimension is None:
        return dimension_code, value
    if value == UNKNOWN:
        return dimension.label, "Non renseigné"
    return dimension.label, dimension.choices.get(value, value)

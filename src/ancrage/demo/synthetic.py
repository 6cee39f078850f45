"""Synthetic datasets for benchmarks, from a desk to the whole country (``ancrage generate``).

Rows are written straight to the tables (``COPY`` on PostgreSQL, ``executemany`` on SQLite): no
signals, no audit trail, nothing marked for refresh — the caller refreshes the indicators. Every name
is invented; organizations are called "Structure synthétique …" so that nobody mistakes them.

Per person supported, on average: 2 enrollments, 16 contacts, 2 appointments, 2 presences at
collective sessions (about 20 contacts and events); one unit for two people. Activity spans last year
and this year up to today. 5 % of the people are followed by a second organization of their
département (another row, the same pseudonym), as after a referral.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from ancrage.accounts.models import Organization, User
from ancrage.activities.models import Activity, Attendance, Session
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.housing.models import Bed, Booking, BookingPeriod, Residence, Unit
from ancrage.people.models import Person, identity_key_for
from ancrage.programs.models import Program, ProgramParticipant
from ancrage.support.models import Appointment, Contact, Enrollment, Exit


@dataclass(frozen=True)
class Preset:
    persons: int
    organizations: int
    description: str


PRESETS = {
    "tiny": Preset(1_000, 12, "une poignée de structures (tests)"),
    "small": Preset(20_000, 60, "un département"),
    "regional": Preset(100_000, 250, "une région"),
    "national": Preset(1_000_000, 2_000, "la France entière"),
}

SUPPORT_KINDS = ["cllaj", "association", "association", "corporate_social_service"]
HOUSING_KINDS = ["residence_manager", "social_landlord"]
PROGRAM_KINDS = [
    "youth_housing_desk",
    "seniors_insertion",
    "employee_housing",
    "apprentice_housing",
    "thematic_residences",
]
LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
]
FIRST = [
    "Léa",
    "Hugo",
    "Chloé",
    "Lucas",
    "Inès",
    "Adam",
    "Manon",
    "Noah",
    "Jade",
    "Louis",
    "Emma",
    "Yanis",
    "Zoé",
    "Nathan",
    "Lina",
    "Sacha",
]
CHANNELS = ["phone"] * 6 + ["email"] * 4 + ["walk_in"] * 3 + ["online_form", "mail"]
OUTCOMES = ["social_housing", "private_housing", "residence", "employment", "kept_home", "dropped"]


class Writer:
    """Appends rows to one table, fast, with explicit ids; fills every column the row omits with
    the field's default so that the generator names only what matters."""

    def __init__(self, model: type[models.Model], columns: list[str]):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        self.given = columns
        self.defaults = {}
        now = timezone.now()
        for field in self.fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.defaults[field.attname] = now
            else:
                self.defaults[field.attname] = field.get_default()  # "" for text, else None
        # Only what the driver cannot take as is goes through Django's conversion (it is slow).
        needs = (models.JSONField,)
        if connection.vendor != "postgresql":
            needs += (models.DateField, models.DecimalField)  # DateTimeField is a DateField
        self.convert = [
            (lambda v, f=f: f.get_db_prep_save(v, connection)) if isinstance(f, needs) else None
            for f in self.fields
        ]
        self.buffer: list[tuple] = []
        self.count = 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")  # noqa: S608
            self.next_id = cursor.fetchone()[0] + 1

    def add(self, **values) -> int:
        row_id = self.next_id
        self.next_id += 1
        values["id"] = row_id
        row = []
        defaults = self.defaults
        for field, convert in zip(self.fields, self.convert, strict=True):
            value = values.get(field.attname, defaults[field.attname])
            row.append(convert(value) if convert is not None and value is not None else value)
        self.buffer.append(tuple(row))
        if len(self.buffer) >= 20_000:
            self.flush()
        return row_id

    def flush(self) -> None:
        if not self.buffer:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in self.buffer:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", self.buffer)  # noqa: S608
        self.count += len(self.buffer)
        self.buffer = []


def _reset_sequences(model_list) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# Contacts and appointments are recorded the day they happen: a live table holds them in time
# order. Written person by person, each month's rows would be spread over the whole table, which
# no production table is (and the indicators' refresh reads one month at a time).
TIME_ORDERED = ((Contact, "occurred_at"), (Appointment, "starts_at"))


def _lay_out_in_time_order() -> None:
    """Rewrite the event tables in time order (PostgreSQL's ``CLUSTER`` on their date index)."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # The foreign keys checked now: PostgreSQL does not rewrite a table with checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model, column in TIME_ORDERED:
            table = model._meta.db_table
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                [table, f"%({column})"],
            )
            (index,) = cursor.fetchone()
            cursor.execute(f"CLUSTER {quote(table)} USING {quote(index)}")


def _weighted_communes(rng, count: int) -> list[tuple[int, int]]:
    """``count`` communes drawn by population: (commune id, département id)."""
    rows = list(
        Territory.objects.filter(kind=TerritoryKind.COMMUNE, population__gt=0)
        .exclude(departement=None)
        .values_list("id", "departement_id", "population")
    )
    if not rows:
        raise RuntimeError("Chargez d'abord les territoires : ancrage load-territories")
    weights = [r[2] for r in rows]
    return [(r[0], r[1]) for r in rng.choices(rows, weights=weights, k=count)]


def already_generated(seed: int) -> bool:
    """Whether the dataset of this seed is in the database (its programs' names are unique)."""
    return Program.objects.filter(name__startswith=f"Dispositif synthétique {seed} — ").exists()


def generate(preset: str, *, seed: int = 1, out=print) -> dict[str, int]:
    spec = PRESETS[preset]
    rng = random.Random(seed)  # noqa: S311 — synthetic data
    today = timezone.localdate()
    first_day = datetime.date(today.year - 1, 1, 1)
    span = (today - first_day).days
    zone = timezone.get_current_timezone()

    with transaction.atomic():
        counsellor, _ = User.objects.get_or_create(
            email=f"synthetique-{seed}@exemple.invalid",
            defaults={"first_name": "Conseil", "last_name": "Synthétique", "is_active": False},
        )
        writers = {
            m: Writer(m, [])
            for m in (
                Organization,
                Program,
                ProgramParticipant,
                Person,
                Enrollment,
                Exit,
                Contact,
                Appointment,
                Activity,
                Session,
                Attendance,
                Residence,
                Unit,
                Bed,
                Booking,
                BookingPeriod,
            )
        }
        w = writers
        # Organizations: three in five support people, the others house them.
        places = _weighted_communes(rng, spec.organizations)
        organizations = []  # (id, kind, commune, departement)
        for index, (commune, departement) in enumerate(places):
            kind = rng.choice(SUPPORT_KINDS if index % 5 < 3 else HOUSING_KINDS)
            org_id = w[Organization].add(
                kind=kind,
                name=f"Structure synthétique {seed}-{index:05d}",
                commune_id=commune,
                is_active=True,
            )
            organizations.append((org_id, kind, commune, departement))
        # One national program of each kind, and a funder for each.
        program_ids = {}
        for kind in PROGRAM_KINDS:
            program_ids[kind] = w[Program].add(
                name=f"Dispositif synthétique {seed} — {kind}",
                kind=kind,
                starts_on=first_day,
            )
            funder = w[Organization].add(
                kind="funder", name=f"Financeur synthétique {seed} — {kind}", is_active=True
            )
            w[ProgramParticipant].add(
                program_id=program_ids[kind], organization_id=funder, role="funder"
            )
        for org_id, kind, _, _ in organizations:
            program_kind = {
                "cllaj": "youth_housing_desk",
                "corporate_social_service": "employee_housing",
                "residence_manager": rng.choice(["apprentice_housing", "thematic_residences"]),
                "social_landlord": "thematic_residences",
            }.get(kind, rng.choice(["seniors_insertion", "youth_housing_desk"]))
            w[ProgramParticipant].add(
                program_id=program_ids[program_kind], organization_id=org_id, role="operator"
            )
        supporters = [o for o in organizations if o[1] in SUPPORT_KINDS] or organizations
        housers = [o for o in organizations if o[1] in HOUSING_KINDS] or organizations
        by_departement: dict[int, list] = {}
        for org in supporters:
            by_departement.setdefault(org[3], []).append(org)

        # Collective sessions: one a fortnight per supporting organization.
        sessions: dict[int, list[tuple[int, datetime.datetime]]] = {}
        for org_id, _, _, _ in supporters:
            activity = w[Activity].add(
                organization_id=org_id, kind="housing_workshop", title="Atelier logement"
            )
            sessions[org_id] = []
            for day in range(0, span, 14):
                at = datetime.datetime.combine(
                    first_day + datetime.timedelta(days=day), datetime.time(14), zone
                )
                session_id = w[Session].add(
                    organization_id=org_id,
                    activity_id=activity,
                    starts_at=at,
                    duration_minutes=120,
                    place="Salle du siège",
                    anonymous_count=rng.randint(0, 6),
                )
                sessions[org_id].append((session_id, at))

        def person(org, commune, last, first, birth):
            return w[Person].add(
                organization_id=org,
                last_name=last,
                first_name=first,
                search_name=f"{last} {first}".lower(),
                identity_key=identity_key_for(last, first, birth),
                birth_date=birth,
                commune_id=commune,
                situation=rng.choice(["apprentice", "student", "job_seeker", "temp_worker"]),
            )

        def moment(day: datetime.date) -> datetime.datetime:
            return datetime.datetime.combine(day, datetime.time(rng.randint(9, 17)), zone)

        attended: set[tuple[int, int]] = set()
        supported_count = spec.persons
        for index in range(supported_count):
            org_id, _, commune, departement = rng.choice(supporters)
            last, first = rng.choice(LAST), rng.choice(FIRST)
            birth = datetime.date(rng.randint(1960, 2008), rng.randint(1, 12), rng.randint(1, 28))
            homes = [(org_id, commune)]
            if rng.random() < 0.05 and len(by_departement.get(departement, [])) > 1:
                other = rng.choice([o for o in by_departement[departement] if o[0] != org_id])
                homes.append((other[0], commune))
            for home, place in homes:
                person_id = person(home, place, last, first, birth)
                # Two enrollments: the first closed, the second open or closed.
                requested = first_day + datetime.timedelta(days=rng.randint(0, span - 1))
                for number in (1, 2):
                    if requested >= today:
                        break
                    started = requested + datetime.timedelta(days=rng.randint(3, 30))
                    ended = started + datetime.timedelta(days=rng.randint(30, 240))
                    closed = number == 1 or rng.random() < 0.5
                    if started >= today:
                        started, closed = None, False
                    elif ended >= today:
                        closed = False
                    enrollment = w[Enrollment].add(
                        organization_id=home,
                        person_id=person_id,
                        referent_id=counsellor.pk,
                        status="exited" if closed else ("support" if started else "requested"),
                        requested_on=requested,
                        started_on=started,
                        ended_on=ended if closed else None,
                    )
                    if closed:
                        w[Exit].add(
                            enrollment_id=enrollment,
                            outcome=rng.choice(OUTCOMES),
                            exited_on=ended,
                            ready_for_housing=rng.random() < 0.3,
                        )
                        requested = ended + datetime.timedelta(days=rng.randint(1, 60))
                    else:
                        break
                # Contacts and appointments, known or anonymous.
                for _ in range(8):
                    day = first_day + datetime.timedelta(days=rng.randint(0, span - 1))
                    w[Contact].add(
                        organization_id=home,
                        direction="incoming",
                        channel=rng.choice(CHANNELS),
                        occurred_at=moment(day),
                        subjects=["housing"],
                        person_id=person_id,
                        outcome="information",
                    )
                for _ in range(8):
                    day = first_day + datetime.timedelta(days=rng.randint(0, span - 1))
                    w[Contact].add(
                        organization_id=home,
                        direction="incoming",
                        channel=rng.choice(["phone", "email"]),
                        occurred_at=moment(day),
                        subjects=["housing"],
                        age_band=rng.choice(["18_20", "21_25", "26_30"]),
                        outcome="information",
                    )
                for _ in range(2):
                    day = first_day + datetime.timedelta(days=rng.randint(0, span - 1))
                    w[Appointment].add(
                        organization_id=home,
                        person_id=person_id,
                        starts_at=moment(day),
                        place="Siège",
                        counsellor_id=counsellor.pk,
                        status=rng.choice(["honoured", "honoured", "missed"]),
                    )
                org_sessions = sessions.get(home, [])
                for _ in range(2):
                    if not org_sessions:
                        break
                    session_id, _ = rng.choice(org_sessions)
                    if (session_id, person_id) not in attended:
                        attended.add((session_id, person_id))
                        w[Attendance].add(session_id=session_id, person_id=person_id)
            if index and index % 100_000 == 0:
                out(f"  {index:,} personnes…".replace(",", " "))
        attended.clear()

        # Housing: one unit for two people supported, in residences of 50 units.
        units_wanted = max(1, spec.persons // 2)
        residence_id, in_residence, residence_org = None, 50, None
        for number in range(units_wanted):
            if in_residence == 50:
                residence_org, _, commune, _ = rng.choice(housers)
                residence_id = w[Residence].add(
                    organization_id=residence_org,
                    name=f"Résidence synthétique {number:07d}",
                    kind="young_workers",
                    commune_id=commune,
                )
                in_residence = 0
            in_residence += 1
            unit = w[Unit].add(
                organization_id=residence_org,
                residence_id=residence_id,
                reference=f"U{in_residence:02d}",
                typology="t1",
                monthly_rent=380,
                monthly_charges=40,
                weekly_price=95,
                deposit=380,
                status="available",
            )
            bed = w[Bed].add(unit_id=unit, label="")
            if rng.random() < 0.75:
                occupant = person(residence_org, None, rng.choice(LAST), rng.choice(FIRST), None)
                start = first_day + datetime.timedelta(days=rng.randint(0, span - 1))
                end = start + datetime.timedelta(days=rng.randint(60, 500))
                open_ended = rng.random() < 0.5
                booking = w[Booking].add(
                    organization_id=residence_org,
                    person_id=occupant,
                    bed_id=bed,
                    granularity="open" if open_ended else "months",
                    status="active",
                    starts_on=start,
                    ends_on=None if open_ended else end,
                )
                w[BookingPeriod].add(
                    booking_id=booking,
                    bed_id=bed,
                    starts_on=start,
                    ends_on=None if open_ended else end,
                    is_active=True,
                )
        for writer in writers.values():
            writer.flush()
        _reset_sequences(list(writers))
        _lay_out_in_time_order()
    return {str(m._meta.verbose_name_plural): wr.count for m, wr in writers.items()}

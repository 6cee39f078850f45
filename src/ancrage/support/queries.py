"""Reads on support records for views and other apps."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from statistics import median
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.enums import Module
from ancrage.accounts.models import Organization
from ancrage.accounts.permissions import get_for_user
from ancrage.accounts.queries import members_allowed, partner_organizations
from ancrage.core.labels import enum_labels
from ancrage.core.listing import Column
from ancrage.core.text import fold
from ancrage.core.timeline import TimelineEntry, at_day
from ancrage.programs.queries import program_names_of
from ancrage.support.enums import (
    OPEN_STATUSES,
    PENDING_STEP_STATUSES,
    AppointmentStatus,
    Channel,
    EnrollmentStatus,
    ExitOutcome,
    FollowUpActivity,
    FollowUpHousing,
    FollowUpKind,
    Outcome,
    ReferralStatus,
    StepKind,
    StepStatus,
    Subject,
)
from ancrage.support.models import (
    Appointment,
    Contact,
    Desk,
    Enrollment,
    EnrollmentEvent,
    Exit,
    FollowUp,
    Note,
    Referral,
    Step,
)
from ancrage.support.models.agenda import appointment_place


def get_enrollment_for_user(user, enrollment_id, *, write: bool = False) -> Enrollment:
    return get_for_user(
        Enrollment.objects.visible_to(user).select_related(
            "person", "referent", "organization", "program"
        ),
        enrollment_id,
        user,
        action="support.record" if write else None,
    )


def open_enrollment_of(person) -> Enrollment | None:
    """The person's most recent enrollment still open in their organization, if any (where a
    step such as an orientation to a service is written)."""
    return (
        Enrollment.objects.filter(
            person=person, organization_id=person.organization_id, status__in=OPEN_STATUSES
        )
        .order_by("-requested_on", "-pk")
        .first()
    )


def overdue_steps(user, organization) -> QuerySet[Step]:
    """Steps past their due date in the enrollments ``user`` follows in ``organization``."""
    return (
        Step.objects.visible_to(user)
        .filter(
            organization=organization,
            enrollment__referent=user,
            enrollment__status__in=OPEN_STATUSES,
            status__in=PENDING_STEP_STATUSES,
            due_on__lt=timezone.localdate(),
        )
        .select_related("enrollment__person")
        .order_by("due_on", "id")
    )


def coming_appointments(user, organization, *, until: datetime.datetime) -> QuerySet[Appointment]:
    """``user``'s planned appointments in ``organization`` from now until ``until``."""
    return (
        Appointment.objects.visible_to(user)
        .filter(
            organization=organization,
            counsellor=user,
            status=AppointmentStatus.PLANNED,
            starts_at__gte=timezone.now(),
            starts_at__lt=until,
        )
        .select_related("person", "desk")
        .order_by("starts_at", "id")
    )


def follow_ups_due(user, organization, *, until: datetime.date) -> QuerySet[FollowUp]:
    """Follow-ups not yet recorded, due by ``until``, of the exits of ``user``'s enrollments."""
    return (
        FollowUp.objects.visible_to(user)
        .pending()
        .filter(
            exit__enrollment__organization=organization,
            exit__enrollment__referent=user,
            due_on__lte=until,
        )
        .select_related("exit__enrollment__person")
        .order_by("due_on", "id")
    )


def referrals_to_answer(user, organization) -> QuerySet[Referral]:
    """Referrals ``organization`` received and has not answered yet, oldest first."""
    return (
        Referral.objects.visible_to(user)
        .filter(receiver=organization, status=ReferralStatus.SENT)
        .select_related("sender")
        .order_by("sent_on", "id")
    )


def referrals_sent(user, organization, *, decided_since: datetime.date) -> QuerySet[Referral]:
    """Referrals ``organization`` sent that wait for an answer or were answered since
    ``decided_since``: what a sender checks on."""
    return (
        Referral.objects.visible_to(user)
        .filter(sender=organization)
        .filter(Q(status=ReferralStatus.SENT) | Q(decided_on__gte=decided_since))
        .select_related("receiver", "person")
        .order_by("-sent_on", "-id")
    )


def possible_referents(organization):
    """Team members who can follow someone (admin, coordination, counsellors)."""
    return members_allowed(organization, "support.record")


def active_desks(organization):
    """The organization's decentralised desks still in use, for pickers in other apps."""
    return Desk.objects.filter(organization=organization, is_active=True).order_by("name")


# The sources of a person's timeline, as the branches of one query (kind, then its columns):
# a timestamp, a day, the enrollment, and four values the entry's text is made of.
_CONTACT, _EVENT, _STEP, _APPOINTMENT, _FOLLOW_UP = range(5)


def _timeline_sql(limit: int) -> str:
    q = connection.ops.quote_name
    # Typed, so that PostgreSQL can match each column's type across the branches.
    null_at, null_day = "CAST(NULL AS TIMESTAMP WITH TIME ZONE)", "CAST(NULL AS DATE)"
    null_id, null_text = "CAST(NULL AS INTEGER)", "CAST(NULL AS TEXT)"

    def table(model) -> str:
        return q(model._meta.db_table)

    def column(model, name: str, alias: str) -> str:
        return f"{alias}.{q(model._meta.get_field(name).column)}"

    contact, event, step = Contact, EnrollmentEvent, Step
    enrollment, appointment, follow_up, exit_ = Enrollment, Appointment, FollowUp, Exit
    user, desk = Appointment._meta.get_field("counsellor").related_model, Desk
    # Only names read from the models and a number go into the text; the person is a parameter.
    branches = [
        # Contacts: channel, subjects (JSON), outcome.
        f"SELECT {_CONTACT} AS k, {column(contact, 'occurred_at', 'c')} AS at, "  # noqa: S608
        f"{null_day} AS day, c.{q('id')} AS n, {null_id} AS enr, "
        f"{column(contact, 'channel', 'c')} AS a, "
        f"CAST({column(contact, 'subjects', 'c')} AS TEXT) AS b, "
        f"{column(contact, 'outcome', 'c')} AS x, {null_text} AS y "
        f"FROM {table(contact)} c WHERE {column(contact, 'person', 'c')} = %s "
        f"ORDER BY at DESC LIMIT {limit}",
        # Enrollment events: the status reached, the note.
        f"SELECT {_EVENT}, {null_at}, {column(event, 'on', 'e')}, e.{q('id')}, "  # noqa: S608
        f"{column(event, 'enrollment', 'e')}, {column(event, 'to_status', 'e')}, "
        f"{column(event, 'note', 'e')}, {null_text}, {null_text} "
        f"FROM {table(event)} e JOIN {table(enrollment)} en "
        f"ON en.{q('id')} = {column(event, 'enrollment', 'e')} "
        f"WHERE {column(enrollment, 'person', 'en')} = %s "
        f"ORDER BY {column(event, 'on', 'e')} DESC, e.{q('id')} DESC LIMIT {limit}",
        # Steps: created, and done on a day.
        f"SELECT {_STEP}, {column(step, 'created_at', 's')}, {column(step, 'done_on', 's')}, "  # noqa: S608
        f"s.{q('id')}, {column(step, 'enrollment', 's')}, {column(step, 'kind', 's')}, "
        f"{column(step, 'status', 's')}, {null_text}, {null_text} "
        f"FROM {table(step)} s JOIN {table(enrollment)} en "
        f"ON en.{q('id')} = {column(step, 'enrollment', 's')} "
        f"WHERE {column(enrollment, 'person', 'en')} = %s "
        f"ORDER BY {column(step, 'created_at', 's')} DESC LIMIT {limit}",
        # Appointments: the counsellor's name (or e-mail), the desk, the place, the status.
        f"SELECT {_APPOINTMENT}, {column(appointment, 'starts_at', 'ap')}, {null_day}, "  # noqa: S608
        f"ap.{q('id')}, {null_id}, {column(appointment, 'status', 'ap')}, "
        # str(user): the full name, or the e-mail address when there is none.
        f"COALESCE(NULLIF(TRIM({column(user, 'first_name', 'u')} || ' ' || "
        f"{column(user, 'last_name', 'u')}), ''), {column(user, 'email', 'u')}), "
        f"{column(desk, 'name', 'd')}, {column(appointment, 'place', 'ap')} "
        f"FROM {table(appointment)} ap JOIN {table(user)} u "
        f"ON u.{q('id')} = {column(appointment, 'counsellor', 'ap')} "
        f"LEFT JOIN {table(desk)} d ON d.{q('id')} = {column(appointment, 'desk', 'ap')} "
        f"WHERE {column(appointment, 'person', 'ap')} = %s "
        f"ORDER BY {column(appointment, 'starts_at', 'ap')} DESC LIMIT {limit}",
        # Follow-ups done: reached or not, where the person lives, their activity.
        f"SELECT {_FOLLOW_UP}, {null_at}, {column(follow_up, 'done_on', 'f')}, f.{q('id')}, "  # noqa: S608
        f"{column(exit_, 'enrollment', 'x')}, {column(follow_up, 'kind', 'f')}, "
        f"CASE WHEN {column(follow_up, 'reached', 'f')} THEN 'y' ELSE '' END, "
        f"{column(follow_up, 'housing', 'f')}, {column(follow_up, 'activity', 'f')} "
        f"FROM {table(follow_up)} f JOIN {table(exit_)} x "
        f"ON x.{q('id')} = {column(follow_up, 'exit', 'f')} "
        f"JOIN {table(enrollment)} en ON en.{q('id')} = {column(exit_, 'enrollment', 'x')} "
        f"WHERE {column(enrollment, 'person', 'en')} = %s "
        f"AND {column(follow_up, 'done_on', 'f')} IS NOT NULL "
        f"ORDER BY {column(follow_up, 'done_on', 'f')} DESC LIMIT {limit}",
    ]
    return " UNION ALL ".join(
        f"SELECT * FROM ({branch}) AS b{i}"  # noqa: S608 (the branches above)
        for i, branch in enumerate(branches)
    )


def _moment(value: Any) -> datetime.datetime:
    if isinstance(value, str):  # SQLite gives the text it stores
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError(f"Not a date and time: {value!r}")
        value = parsed
    return value if timezone.is_aware(value) else timezone.make_aware(value, datetime.UTC)


def _day(value: Any) -> datetime.date:
    return datetime.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def timeline_entries(person, *, limit: int) -> list[TimelineEntry]:
    """The person's contacts, enrollment events, steps, appointments and follow-ups, each source
    capped at ``limit``, for ``ancrage.casefile``'s timeline: one query for the five sources (a
    query each cost the person's page a millisecond of Django and one of the database apiece)."""
    with connection.cursor() as cursor:
        cursor.execute(_timeline_sql(int(limit)), [person.pk] * 5)
        rows = cursor.fetchall()
    # Each source in the order its query reads it (the sort that follows keeps it for equal times).
    order = {
        _CONTACT: lambda r: -_moment(r[1]).timestamp(),
        _EVENT: lambda r: (-_day(r[2]).toordinal(), -r[3]),
        _STEP: lambda r: -_moment(r[1]).timestamp(),
        _APPOINTMENT: lambda r: -_moment(r[1]).timestamp(),
        _FOLLOW_UP: lambda r: -_day(r[2]).toordinal(),
    }
    rows.sort(key=lambda r: r[0])
    by_kind: dict[int, list[tuple]] = {}
    for row in rows:
        by_kind.setdefault(row[0], []).append(row)
    channel, subjects, outcome = enum_labels(Channel), enum_labels(Subject), enum_labels(Outcome)
    statuses, step_kinds = enum_labels(EnrollmentStatus), enum_labels(StepKind)
    step_statuses, appointment_statuses = enum_labels(StepStatus), enum_labels(AppointmentStatus)
    follow_up_kinds, housing = enum_labels(FollowUpKind), enum_labels(FollowUpHousing)
    activity = enum_labels(FollowUpActivity)

    def enrollment_url(enrollment_id: int) -> str:
        return reverse("support:enrollment_detail", args=[enrollment_id])

    entries: list[TimelineEntry] = []
    for kind in sorted(by_kind):
        for row in sorted(by_kind[kind], key=order[kind]):
            _k, at, day, _id, enrollment_id, a, b, c, d = row
            if kind == _CONTACT:
                codes = b if isinstance(b, list) else json.loads(b or "[]")
                about = ", ".join(subjects[code] for code in codes if code in subjects).lower()
                text = f"{channel.get(a, a)} — {about} ; suite : {outcome.get(c, c).lower()}"
                entries.append(TimelineEntry(_moment(at), _("Contact"), text))
            elif kind == _EVENT:
                text = statuses.get(a, a) + (f" — {b}" if b else "")
                entries.append(
                    TimelineEntry(
                        at_day(_day(day)),
                        _("Accompagnement"),
                        text,
                        enrollment_url(enrollment_id),
                        has_time=False,
                    )
                )
            elif kind == _STEP:
                url = enrollment_url(enrollment_id)
                label = step_kinds.get(a, a)
                entries.append(TimelineEntry(_moment(at), _("Démarche"), f"{label} engagée", url))
                if day:
                    entries.append(
                        TimelineEntry(
                            at_day(_day(day)),
                            _("Démarche"),
                            f"{label} : {step_statuses.get(b, b).lower()}",
                            url,
                            has_time=False,
                        )
                    )
            elif kind == _APPOINTMENT:
                where = appointment_place(c, d)
                entries.append(
                    TimelineEntry(
                        _moment(at),
                        _("Rendez-vous"),
                        f"avec {b}"
                        + (f", {where}" if where else "")
                        + f" ({appointment_statuses.get(a, a).lower()})",
                    )
                )
            else:
                text = (
                    f"{housing.get(c, c)} ; {activity.get(d, d).lower()}"
                    if b
                    else str(_("personne non jointe"))
                )
                entries.append(
                    TimelineEntry(
                        at_day(_day(day)),
                        _("Suivi après sortie"),
                        f"{follow_up_kinds.get(a, a)} : {text}",
                        enrollment_url(enrollment_id),
                        has_time=False,
                    )
                )
    return entries


def people_active_since(day: datetime.date) -> list[QuerySet]:
    """Ids of the people whose support shows activity on or after ``day`` (a contact, an
    appointment, a step worked on, a referral, a note, an exit or a follow-up done), or is still
    open: the retention task archives no one in these. A follow-up only planned is not a contact."""
    since = at_day(day)
    return [
        Enrollment.objects.filter(status__in=OPEN_STATUSES)
        .filter(person_id__isnull=False)
        .values("person_id"),
        Enrollment.objects.filter(
            Q(requested_on__gte=day) | Q(started_on__gte=day) | Q(ended_on__gte=day)
        )
        .filter(person_id__isnull=False)
        .values("person_id"),
        Contact.objects.filter(occurred_at__gte=since)
        .filter(person_id__isnull=False)
        .values("person_id"),
        Appointment.objects.filter(starts_at__gte=since)
        .filter(person_id__isnull=False)
        .values("person_id"),
        Referral.objects.filter(Q(sent_on__gte=day) | Q(decided_on__gte=day))
        .filter(person_id__isnull=False)
        .values("person_id"),
        Step.objects.filter(Q(updated_at__gte=since) | Q(done_on__gte=day))
        .filter(enrollment__person_id__isnull=False)
        .values("enrollment__person_id"),
        Note.objects.filter(created_at__gte=since)
        .filter(enrollment__person_id__isnull=False)
        .values("enrollment__person_id"),
        Exit.objects.filter(exited_on__gte=day)
        .filter(enrollment__person_id__isnull=False)
        .values("enrollment__person_id"),
        FollowUp.objects.filter(done_on__gte=day)
        .filter(exit__enrollment__person_id__isnull=False)
        .values("exit__enrollment__person_id"),
    ]


@dataclass
class Partner:
    """An organization that may receive a referral, as the directory shows it."""

    organization: Organization
    programs: list[str]
    desks: list[Desk]
    answered: int  # referrals it answered in the last year
    median_days: float | None  # days from sending to answer, median of those


def referral_receivers(sender: Organization) -> QuerySet[Organization]:
    """Organizations a referral may go to: those following people (module support), but the
    sender; those of its own département first, then by name."""
    return partner_organizations(sender, module=Module.SUPPORT)


def departement_of(organization: Organization) -> str:
    """The code of an organization's département, or ""."""
    commune = organization.commune
    departement = commune.departement if commune is not None else None
    return departement.code if departement is not None else ""


def departement_label(organization: Organization) -> tuple[str, str]:
    """(code, name) of an organization's département, or ("", "")."""
    commune = organization.commune
    departement = commune.departement if commune is not None else None
    return (departement.code, departement.name) if departement is not None else ("", "")


def matches(organization: Organization, query: str) -> bool:
    """Whether a search typed in the directory (accents and case aside) names the organization
    or its commune."""
    wanted = fold(query)
    if not wanted:
        return True
    commune = organization.commune
    return wanted in fold(organization.name) or (
        commune is not None and wanted in fold(commune.name)
    )


def partner_directory(sender: Organization) -> list[Partner]:
    """Every organization ``sender`` may refer to, with its programs, desks and how fast it
    answers (the median delay of the referrals it answered in the last year). Five queries."""
    receivers = list(referral_receivers(sender))
    ids = [o.pk for o in receivers]
    programs = program_names_of(ids)
    desks: dict[int, list[Desk]] = {}
    for desk in (
        Desk.objects.filter(organization_id__in=ids, is_active=True)
        .select_related("commune")
        .order_by("name")
    ):
        desks.setdefault(desk.organization_id, []).append(desk)
    since = timezone.localdate() - datetime.timedelta(days=365)
    delays: dict[int, list[int]] = {}
    for receiver_id, sent_on, decided_on in Referral.objects.filter(
        receiver_id__in=ids, decided_on__isnull=False, sent_on__gte=since
    ).values_list("receiver_id", "sent_on", "decided_on"):
        if decided_on is not None:
            delays.setdefault(receiver_id, []).append((decided_on - sent_on).days)
    return [
        Partner(
            organization=o,
            programs=sorted(programs.get(o.pk, [])),
            desks=desks.get(o.pk, []),
            answered=len(delays.get(o.pk, [])),
            median_days=median(delays[o.pk]) if delays.get(o.pk) else None,
        )
        for o in receivers
    ]


def _contact_with(contact: Contact) -> str:
    if contact.person_id:
        return str(contact.person)
    if contact.partner is not None:
        return contact.partner.name
    return str(_("Anonyme"))


# The contacts list's columns (screen and export), then what only the export adds.
CONTACT_COLUMNS = [
    Column(
        "date",
        _("Date"),
        lambda c: timezone.localtime(c.occurred_at).replace(tzinfo=None),
        ("occurred_at",),
    ),
    Column("canal", _("Canal"), lambda c: c.get_channel_display(), ("channel",)),
    Column("avec", _("Avec"), _contact_with),
    Column("sujets", _("Sujets"), lambda c: ", ".join(str(s) for s in c.subject_labels())),
    Column("suite", _("Suite donnée"), lambda c: c.get_outcome_display(), ("outcome",)),
]
CONTACT_EXPORT_ONLY = [
    Column("precision", _("Précision de la suite"), lambda c: c.outcome_detail),
    Column("permanence", _("Permanence"), lambda c: c.desk.name if c.desk_id else ""),
    Column("sens", _("Sens"), lambda c: c.get_direction_display()),
    Column("tranche", _("Tranche d'âge"), lambda c: c.get_age_band_display()),
    Column("commune", _("Commune"), lambda c: c.commune.name if c.commune_id else ""),
]


def _referral_person(referral: Referral, organization_id: int) -> str:
    """The person as the list may show them: the sender sees its own file, the receiver only
    what was shared."""
    if referral.sender_id == organization_id:
        return str(referral.person)
    shared = referral.shared_data or {}
    return " ".join(
        part for part in (shared.get("first_name", ""), shared.get("last_name", "").upper()) if part
    )


def referral_columns(organization_id: int) -> list[Column]:
    """The referrals list's columns, as seen by one organization (sender or receiver)."""
    return [
        Column("date", _("Date"), lambda r: r.sent_on, ("sent_on",)),
        Column(
            "sens",
            _("Sens"),
            lambda r: _("envoyée") if r.sender_id == organization_id else _("reçue"),
            ("direction",),
        ),
        Column("partenaire", _("Partenaire"), lambda r: r.partner_name, ("partner_name",)),
        Column("personne", _("Personne"), lambda r: _referral_person(r, organization_id)),
        Column("etat", _("État"), lambda r: r.get_status_display(), ("status",)),
    ]


REFERRAL_EXPORT_ONLY = [
    Column("objet", _("Objet"), lambda r: r.purpose),
    Column("decision", _("Décision le"), lambda r: r.decided_on),
    Column("motif", _("Motif du refus"), lambda r: r.refusal_reason),
]

# The caseload's « people you follow » (enrollments of which the user is the referent).
ENROLLMENT_COLUMNS = [
    Column(
        "personne",
        _("Personne"),
        lambda e: str(e.person),
        ("person__last_name", "person__first_name"),
    ),
    Column("etape", _("Étape"), lambda e: e.get_status_display(), ("status",)),
    Column(
        "dispositif",
        _("Dispositif"),
        lambda e: e.program.name if e.program_id else "",
        ("program__name",),
    ),
    Column("demande", _("Demande le"), lambda e: e.requested_on, ("requested_on",)),
]


@dataclass
class PathwayOutcomes:
    """What became of a group of people, counted (never who): pathways opened by type, homes
    adapted, exits to work and exits kept at home."""

    pathways: dict[str, int]
    adapted_homes: int
    employment_exits: int
    kept_home_exits: int


def pathway_outcomes(groups: dict[Any, list[int]]) -> dict[Any, PathwayOutcomes]:
    """Counts over the typed enrollments of each group of people (one query for all) — for a
    landlord, who may see its tenants' outcomes only as figures."""
    group_of = {person: key for key, people in groups.items() for person in people}
    found = {key: PathwayOutcomes({}, 0, 0, 0) for key in groups}
    adapted: dict[Any, set[int]] = {key: set() for key in groups}
    rows = Enrollment.objects.filter(person_id__in=list(group_of)).exclude(pathway="")
    for person, pathway, adapted_on, outcome in rows.values_list(
        "person_id", "pathway", "home_adapted_on", "exit__outcome"
    ):
        key = group_of[person]
        outcomes = found[key]
        outcomes.pathways[pathway] = outcomes.pathways.get(pathway, 0) + 1
        if adapted_on is not None:
            adapted[key].add(person)
        outcomes.employment_exits += outcome == ExitOutcome.EMPLOYMENT
        outcomes.kept_home_exits += outcome == ExitOutcome.KEPT_HOME
    for key, people in adapted.items():
        found[key].adapted_homes = len(people)
    return found

"""Writes on housing. Keyword-only, the acting user last, one transaction, audited.

Bookings: the service checks overlaps to give a precise message; the database refuses any overlap
that slips through (two people booking the same bed at the same instant): see ``models.py``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.audit import recorder as audit
from ancrage.core.actor import acting_as
from ancrage.core.assign import UNSET, Maybe, assign
from ancrage.core.dates import add_months
from ancrage.core.models import Territory
from ancrage.housing import calendar_import, rent
from ancrage.housing.enums import (
    DEFAULT_SLIDE_CONDITIONS,
    Accessibility,
    ApplicationStatus,
    BookingStatus,
    CommonSpace,
    Granularity,
    InspectionKind,
    ItemCondition,
    LeaseKind,
    LeaseStatus,
    RhythmTemplate,
    UnitStatus,
)
from ancrage.housing.models import (
    Bed,
    Booking,
    BookingPeriod,
    Charge,
    HousingApplication,
    Inspection,
    InspectionItem,
    Lease,
    Payment,
    Residence,
    Rhythm,
    SchoolCalendar,
    SlideCondition,
    ThirdPartyPayment,
    Unit,
    WaitingListRule,
    monday_of,
)
from ancrage.housing.waiting_list import BY_CODE

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User
    from ancrage.people.models import Person


OVERLAP_CONSTRAINT = "housing_bookingperiod_no_overlap"
# --- Residences and units ----------------------------------------------------------------------


def create_residence(
    *,
    organization: Organization,
    actor: User,
    name: str,
    kind: str,
    landlord: Organization | None = None,
    address: str = "",
    commune: Territory | None = None,
    common_spaces: Iterable[str] = (),
    staff_presence: str = "",
    house_rules: str = "",
) -> Residence:
    require(actor, "housing.manage", organization.pk)
    spaces = list(dict.fromkeys(common_spaces))
    if any(code not in CommonSpace.values for code in spaces):
        raise ValidationError({"common_spaces": _("Espace commun inconnu.")})
    residence = Residence(organization=organization, common_spaces=spaces)
    assign(
        residence,
        name=name,
        kind=kind,
        landlord=landlord,
        address=address,
        commune=commune,
        staff_presence=staff_presence,
        house_rules=house_rules,
    )
    residence.full_clean()
    with acting_as(actor), transaction.atomic():
        residence.save()
    return residence


def create_unit(
    *,
    residence: Residence,
    actor: User,
    reference: str,
    typology: str,
    monthly_rent: Decimal,
    beds: int = 1,
    surface: Decimal | None = None,
    floor: Maybe[int] = UNSET,
    furnished: Maybe[bool] = UNSET,
    accessibility: Iterable[str] = (),
    monthly_charges: Maybe[Decimal] = UNSET,
    weekly_price: Decimal | None = None,
    deposit: Maybe[Decimal] = UNSET,
    status: Maybe[str] = UNSET,
) -> Unit:
    """A unit and its beds: one unnamed bed for a studio, "lit 1", "lit 2"… for a shared flat.
    Fields left out (or None from an empty form field) keep the model's default."""
    require(actor, "housing.manage", residence.organization_id)
    if not 1 <= beds <= 12:
        raise ValidationError({"beds": _("Un logement a de 1 à 12 lits.")})
    codes = list(dict.fromkeys(accessibility))
    if any(code not in Accessibility.values for code in codes):
        raise ValidationError({"accessibility": _("Critère d'accessibilité inconnu.")})
    unit = Unit(organization_id=residence.organization_id, residence=residence, accessibility=codes)
    assign(
        unit,
        reference=reference,
        typology=typology,
        monthly_rent=monthly_rent,
        surface=surface,
        weekly_price=weekly_price,
        **{
            key: value
            for key, value in {
                "floor": floor,
                "furnished": furnished,
                "monthly_charges": monthly_charges,
                "deposit": deposit,
                "status": status,
            }.items()
            if value is not None
        },
    )
    unit.full_clean()
    with acting_as(actor), transaction.atomic():
        unit.save()
        for index in range(beds):
            Bed.objects.create(unit=unit, label="" if beds == 1 else f"lit {index + 1}")
    return unit


# --- Rhythms -----------------------------------------------------------------------------------


def create_rhythm(
    *,
    person: Person,
    name: str,
    template: str,
    first_school_week: datetime.date,
    ends_on: datetime.date,
    actor: User,
    custom_weeks: Iterable[datetime.date] = (),
    calendar: SchoolCalendar | None = None,
) -> Rhythm:
    """An alternation calendar; ``first_school_week`` is moved to its Monday. With a school
    ``calendar`` (template « calendar »), the school weeks are the calendar's."""
    require(actor, "housing.manage", person.organization_id)
    errors = {}
    if template not in RhythmTemplate.values:
        errors["template"] = _("Rythme inconnu.")
    weeks = sorted({monday_of(day).isoformat() for day in custom_weeks})
    if template == RhythmTemplate.CUSTOM and not weeks:
        errors["custom_school_weeks"] = _("Indiquez les semaines à l'école.")
    if template == RhythmTemplate.CALENDAR:
        if calendar is None:
            errors["calendar"] = _("Choisissez le calendrier d'école.")
        elif calendar.organization_id != person.organization_id:
            errors["calendar"] = _("Ce calendrier appartient à une autre structure.")
    if errors:
        raise ValidationError(errors)
    rhythm = Rhythm(
        organization_id=person.organization_id,
        person=person,
        name=name.strip(),
        template=template,
        first_school_week=monday_of(first_school_week),
        ends_on=ends_on,
        custom_school_weeks=weeks if template == RhythmTemplate.CUSTOM else [],
        calendar=calendar if template == RhythmTemplate.CALENDAR else None,
    )
    rhythm.full_clean()
    with acting_as(actor), transaction.atomic():
        rhythm.save()
    return rhythm


# --- Bookings ----------------------------------------------------------------------------------


def _runs(mondays: Iterable[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive weeks merged into [first Monday, Monday after the last) runs."""
    runs: list[list[datetime.date]] = []
    for monday in sorted(set(mondays)):
        if runs and runs[-1][1] == monday:
            runs[-1][1] = monday + datetime.timedelta(weeks=1)
        else:
            runs.append([monday, monday + datetime.timedelta(weeks=1)])
    return [(start, end) for start, end in runs]


def _describe(period: BookingPeriod) -> str:
    end = period.ends_on
    if end is None:
        when = _("à partir du %(start)s") % {"start": f"{period.starts_on:%d/%m/%Y}"}
    else:
        last = end - datetime.timedelta(days=1)
        when = _("du %(start)s au %(end)s") % {
            "start": f"{period.starts_on:%d/%m/%Y}",
            "end": f"{last:%d/%m/%Y}",
        }
    return when


def conflicts(
    bed: Bed,
    runs: Sequence[tuple[datetime.date, datetime.date | None]],
    *,
    exclude_booking: Booking | None = None,
) -> list[BookingPeriod]:
    """Active periods of ``bed`` that overlap any of ``runs``."""
    condition = Q()
    for start, end in runs:
        overlap = Q(ends_on__isnull=True) | Q(ends_on__gt=start)
        if end is not None:
            overlap &= Q(starts_on__lt=end)
        condition |= overlap
    periods = BookingPeriod.objects.filter(bed=bed, is_active=True).filter(condition)
    if exclude_booking is not None:
        periods = periods.exclude(booking=exclude_booking)
    return list(periods.select_related("booking__person").order_by("starts_on"))


def _conflict_error(bed: Bed, found: list[BookingPeriod]) -> ValidationError:
    if not found:
        return ValidationError(
            {
                "bed": _("%(bed)s vient d'être réservé pour ces dates par quelqu'un d'autre.")
                % {"bed": bed}
            }
        )
    first = found[0]
    more = len(found) - 1
    message = _("%(bed)s est déjà réservé %(when)s pour %(person)s.") % {
        "bed": bed,
        "when": _describe(first),
        "person": first.booking.person,
    }
    if more:
        message += " " + _("%(count)s autre(s) période(s) en conflit.") % {"count": more}
    return ValidationError({"bed": message})


def _book(
    *,
    person: Person,
    bed: Bed,
    granularity: str,
    runs: Sequence[tuple[datetime.date, datetime.date | None]],
    actor: User,
    rhythm: Rhythm | None = None,
    note: str = "",
    application: HousingApplication | None = None,
) -> Booking:
    unit = bed.unit
    require(actor, "housing.manage", unit.organization_id)
    if application is not None:
        _check_houses(application, person, bed)
    errors = {}
    if person.organization_id != unit.organization_id:
        errors["person"] = _("Cette personne n'est pas suivie par la structure gestionnaire.")
    if unit.status != UnitStatus.AVAILABLE:
        errors["bed"] = _("Ce logement est %(status)s : il ne peut pas être réservé.") % {
            "status": unit.get_status_display().lower()
        }
    if granularity == Granularity.WEEKS and unit.weekly_price is None:
        errors["granularity"] = _("Ce logement ne se loue pas à la semaine.")
    if not runs:
        errors["starts_on"] = _("Aucune période à réserver.")
    if errors:
        raise ValidationError(errors)
    booking = Booking(
        organization_id=unit.organization_id,
        person=person,
        bed=bed,
        granularity=granularity,
        rhythm=rhythm,
        starts_on=runs[0][0],
        ends_on=runs[-1][1],
        note=note.strip(),
        created_by=actor,
    )
    booking.full_clean()
    try:
        with acting_as(actor), transaction.atomic():
            # Lock the bed row: bookings of one bed are decided one at a time (PostgreSQL).
            Bed.objects.select_for_update().get(pk=bed.pk)
            found = conflicts(bed, runs)
            if found:
                raise _conflict_error(bed, found)
            booking.save()
            audit.bulk_create(
                "housing.booking_periods",
                BookingPeriod,
                (
                    BookingPeriod(booking=booking, bed=bed, starts_on=start, ends_on=end)
                    for start, end in runs
                ),
                on=booking,
            )
            if application is not None:
                _house(application, booking)
    except IntegrityError as exc:
        if OVERLAP_CONSTRAINT not in str(exc):
            raise
        raise _conflict_error(bed, conflicts(bed, runs)) from None
    return booking


def book_weeks(
    *,
    person: Person,
    bed: Bed,
    weeks: Iterable[datetime.date],
    actor: User,
    rhythm: Rhythm | None = None,
    note: str = "",
    arrives_on: datetime.date | None = None,
    application: HousingApplication | None = None,
) -> Booking:
    """Book the ISO weeks (Monday to Sunday) containing the given days.

    ``arrives_on``: an arrival during the first week (that week is then charged for its nights).
    ``application``: the pending application this booking answers, housed in the same transaction.
    """
    runs = _runs(monday_of(day) for day in weeks)
    if arrives_on is not None and runs:
        if not runs[0][0] <= arrives_on < runs[0][0] + datetime.timedelta(weeks=1):
            raise ValidationError(
                {"arrives_on": _("L'arrivée doit tomber pendant la première semaine réservée.")}
            )
        runs[0] = (arrives_on, runs[0][1])
    return _book(
        person=person,
        bed=bed,
        granularity=Granularity.WEEKS,
        runs=runs,
        actor=actor,
        rhythm=rhythm,
        note=note,
        application=application,
    )


def book_rhythm(
    *,
    person: Person,
    bed: Bed,
    rhythm: Rhythm,
    start: datetime.date,
    end: datetime.date,
    actor: User,
    application: HousingApplication | None = None,
) -> Booking:
    """Book the school weeks of ``rhythm`` between two dates, in one action."""
    if rhythm.person_id != person.pk:
        raise ValidationError({"rhythm": _("Ce rythme est celui d'une autre personne.")})
    weeks = rhythm.school_weeks(start, end)
    if not weeks:
        raise ValidationError(
            {"rhythm": _("Aucune semaine à l'école entre ces deux dates pour ce rythme.")}
        )
    return book_weeks(
        person=person, bed=bed, weeks=weeks, rhythm=rhythm, actor=actor, application=application
    )


def book_months(
    *,
    person: Person,
    bed: Bed,
    first_month: datetime.date,
    months: int,
    actor: User,
    note: str = "",
    application: HousingApplication | None = None,
) -> Booking:
    """Whole calendar months, from the first day of ``first_month``."""
    if not 1 <= months <= 36:
        raise ValidationError({"months": _("De 1 à 36 mois.")})
    start = first_month.replace(day=1)
    return _book(
        person=person,
        bed=bed,
        granularity=Granularity.MONTHS,
        runs=[(start, add_months(start, months))],
        actor=actor,
        note=note,
        application=application,
    )


def book_open_ended(
    *,
    person: Person,
    bed: Bed,
    starts_on: datetime.date,
    actor: User,
    note: str = "",
    application: HousingApplication | None = None,
) -> Booking:
    """From a date, without end (a lease will say when it ends)."""
    return _book(
        person=person,
        bed=bed,
        granularity=Granularity.OPEN,
        runs=[(starts_on, None)],
        actor=actor,
        note=note,
        application=application,
    )


def cancel_booking(*, booking: Booking, actor: User) -> Booking:
    """Free the bed; the booking stays, cancelled, with its periods kept inactive."""
    require(actor, "housing.manage", booking.organization_id)
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError(_("Cette réservation est déjà annulée."))
    with acting_as(actor), transaction.atomic():
        audit.bulk_update(
            "housing.booking_periods", booking.periods.all(), on=booking, is_active=False
        )
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["status", "cancelled_at", "updated_at"])
    return booking


def restore_booking(*, booking: Booking, actor: User) -> Booking:
    """Undo a cancellation, if the bed is still free for those days."""
    require(actor, "housing.manage", booking.organization_id)
    if booking.status != BookingStatus.CANCELLED:
        raise ValidationError(_("Cette réservation n'est pas annulée."))
    runs = list(booking.periods.values_list("starts_on", "ends_on"))
    try:
        with acting_as(actor), transaction.atomic():
            Bed.objects.select_for_update().get(pk=booking.bed_id)
            found = conflicts(booking.bed, runs, exclude_booking=booking)
            if found:
                raise _conflict_error(booking.bed, found)
            audit.bulk_update(
                "housing.booking_periods", booking.periods.all(), on=booking, is_active=True
            )
            booking.status = BookingStatus.ACTIVE
            booking.cancelled_at = None
            booking.save(update_fields=["status", "cancelled_at", "updated_at"])
    except IntegrityError as exc:
        if OVERLAP_CONSTRAINT not in str(exc):
            raise
        raise _conflict_error(
            booking.bed, conflicts(booking.bed, runs, exclude_booking=booking)
        ) from None
    return booking


# --- Rent ----------------------------------------------------------------------------------------


def _charges_for(
    booking: Booking, through: datetime.date
) -> dict[datetime.date, tuple[Decimal, str]]:
    unit = booking.bed.unit
    periods = list(booking.periods.order_by("starts_on").values_list("starts_on", "ends_on"))
    if booking.granularity == Granularity.WEEKS:
        if unit.weekly_price is None:
            raise ValidationError(_("Ce logement n'a pas de prix à la semaine."))
        weekly = rent.weekly_amounts(periods, unit.weekly_price)
        return {
            month: (amount, _("%(weeks)s semaine(s)") % {"weeks": _weeks_text(weeks)})
            for month, (amount, weeks) in weekly.items()
            if month <= through
        }
    amounts = rent.monthly_amounts(
        periods, unit.monthly_rent + unit.monthly_charges, through=through
    )
    return {
        month: (
            amount,
            _("mois complet")
            if days >= length
            else _("%(days)s jours sur %(length)s") % {"days": days, "length": length},
        )
        for month, (amount, days, length) in amounts.items()
    }


def _weeks_text(weeks: Decimal) -> str:
    whole = int(weeks)
    nights = round((weeks - whole) * 7)
    return f"{whole}" + (f" + {nights}/7" if nights else "")


def generate_charges(*, booking: Booking, through: datetime.date, actor: User) -> list[Charge]:
    """The monthly charges of a booking up to the month of ``through``; months already charged are
    left as they are (a correction is a new booking or a cancelled one, never a silent rewrite)."""
    require(actor, "housing.manage", booking.organization_id)
    if booking.status != BookingStatus.ACTIVE:
        raise ValidationError(_("Une réservation annulée ne donne pas lieu à échéance."))
    through = rent.first_of_month(through)
    existing = set(booking.charges.values_list("month", flat=True))
    unit = booking.bed.unit
    created = []
    with acting_as(actor), transaction.atomic():
        for month, (amount, detail) in _charges_for(booking, through).items():
            if month in existing:
                continue
            charge = Charge(
                organization_id=booking.organization_id,
                booking=booking,
                person_id=booking.person_id,
                month=month,
                label=f"Loyer et charges {unit.reference} — {rent.month_label(month)} ({detail})",
                amount=amount,
            )
            charge.full_clean(validate_unique=False)
            charge.save()
            created.append(charge)
    return created


def record_allowance(
    *, person: Person, source: str, month: datetime.date, amount: Decimal, actor: User
) -> ThirdPartyPayment:
    """A housing allowance received for an occupant (APL, Mobili-Jeune…)."""
    require(actor, "housing.manage", person.organization_id)
    payment = ThirdPartyPayment(
        organization_id=person.organization_id,
        person=person,
        source=source,
        month=rent.first_of_month(month),
        amount=amount,
        recorded_by=actor,
    )
    payment.full_clean()
    with acting_as(actor), transaction.atomic():
        payment.save()
    return payment


def record_payment(
    *, person: Person, amount: Decimal, paid_on: datetime.date, method: str, actor: User
) -> Payment:
    require(actor, "housing.manage", person.organization_id)
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("La date ne peut pas être dans le futur.")})
    payment = Payment(
        organization_id=person.organization_id,
        person=person,
        amount=amount,
        paid_on=paid_on,
        method=method,
        recorded_by=actor,
    )
    payment.full_clean()
    with acting_as(actor), transaction.atomic():
        payment.save()
    return payment


# --- Leases (docs/lifecycles.md) -------------------------------------------------------------


def prepare_lease(
    *,
    person: Person,
    unit: Unit,
    kind: str,
    starts_on: datetime.date,
    actor: User,
    ends_on: datetime.date | None = None,
    is_sliding: bool = False,
    planned_slide_on: datetime.date | None = None,
    bookings: Iterable[Booking] = (),
) -> Lease:
    """A lease in preparation, with the unit's rent, charges and deposit of today; a sliding
    sub-let gets the usual checklist of conditions, which the team can then tick."""
    require(actor, "housing.manage", unit.organization_id)
    errors = {}
    if person.organization_id != unit.organization_id:
        errors["person"] = _("Cette personne n'est pas suivie par la structure gestionnaire.")
    if kind == LeaseKind.MOBILITY:
        if ends_on is None:
            errors["ends_on"] = _("Un bail mobilité a une date de fin.")
        elif not add_months(starts_on, 1) <= ends_on <= add_months(starts_on, 10):
            errors["ends_on"] = _("Un bail mobilité dure d'un à dix mois.")
    if is_sliding and kind != LeaseKind.SUBLET:
        errors["is_sliding"] = _("Seule une sous-location peut être un bail glissant.")
    if is_sliding and planned_slide_on is not None and planned_slide_on <= starts_on:
        errors["planned_slide_on"] = _("Le glissement se prévoit après la prise d'effet.")
    bookings = list(bookings)
    if any(b.person_id != person.pk or b.bed.unit_id != unit.pk for b in bookings):
        errors["bookings"] = _(
            "Ces réservations ne sont pas celles de cette personne dans ce logement."
        )
    if errors:
        raise ValidationError(errors)
    lease = Lease(
        organization_id=unit.organization_id,
        person=person,
        unit=unit,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        monthly_rent=unit.monthly_rent,
        monthly_charges=unit.monthly_charges,
        deposit=unit.deposit,
        is_sliding=is_sliding,
        planned_slide_on=planned_slide_on if is_sliding else None,
    )
    lease.full_clean()
    with acting_as(actor), transaction.atomic():
        lease.save()
        if is_sliding:
            for label in DEFAULT_SLIDE_CONDITIONS:
                SlideCondition.objects.create(lease=lease, label=str(label))
        for booking in bookings:
            booking.lease = lease
            booking.save(update_fields=["lease", "updated_at"])
    return lease


def _lease_transition(lease: Lease, allowed: Iterable[str], actor: User) -> Lease:
    require(actor, "housing.manage", lease.organization_id)
    locked = Lease.objects.select_for_update().get(pk=lease.pk)
    if locked.status not in allowed:
        raise ValidationError(
            _("Impossible : le bail est « %(status)s ».") % {"status": locked.get_status_display()}
        )
    return locked


def sign_lease(*, lease: Lease, signed_on: datetime.date, actor: User) -> Lease:
    """En préparation → en cours."""
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("La date ne peut pas être dans le futur.")})
    with acting_as(actor), transaction.atomic():
        locked = _lease_transition(lease, {LeaseStatus.DRAFT}, actor)
        locked.status = LeaseStatus.ACTIVE
        locked.signed_on = signed_on
        locked.save()
    return locked


def end_lease(*, lease: Lease, on: datetime.date, actor: User) -> Lease:
    """En cours → terminé, at the date the occupant leaves."""
    with acting_as(actor), transaction.atomic():
        locked = _lease_transition(lease, {LeaseStatus.ACTIVE}, actor)
        if on <= locked.starts_on:
            raise ValidationError({"on": _("La fin doit suivre la prise d'effet.")})
        locked.status = LeaseStatus.ENDED
        locked.ends_on = on
        locked.full_clean()
        locked.save()
    return locked


def set_slide_condition(
    *, condition: SlideCondition, met_on: datetime.date, actor: User
) -> SlideCondition:
    """Tick (with the date it was met) or untick a condition of a sliding lease."""
    require(actor, "housing.manage", condition.lease.organization_id)
    if met_on is not None and met_on > timezone.localdate():
        raise ValidationError({"met_on": _("La date ne peut pas être dans le futur.")})
    condition.met_on = met_on
    with acting_as(actor), transaction.atomic():
        condition.save(update_fields=["met_on"])
    return condition


def slide_lease(*, lease: Lease, on: datetime.date, actor: User) -> Lease:
    """The sliding sub-let passes to the occupant: it ends as « glissé » and a lease in the
    occupant's own name starts the same day, at the same rent. Every condition must be met."""
    with acting_as(actor), transaction.atomic():
        locked = _lease_transition(lease, {LeaseStatus.ACTIVE}, actor)
        if not locked.is_sliding:
            raise ValidationError(_("Ce bail n'est pas un bail glissant."))
        missing = [c.label for c in locked.conditions.filter(met_on__isnull=True)]
        if missing:
            raise ValidationError(
                _("Conditions non remplies : %(list)s.") % {"list": " ; ".join(missing)}
            )
        if not locked.starts_on < on <= timezone.localdate():
            raise ValidationError(
                {
                    "on": _(
                        "Le glissement se date après la prise d'effet et au plus tard aujourd'hui."
                    )
                }
            )
        successor = Lease.objects.create(
            organization_id=locked.organization_id,
            person_id=locked.person_id,
            unit_id=locked.unit_id,
            kind=LeaseKind.FURNISHED if locked.unit.furnished else LeaseKind.UNFURNISHED,
            status=LeaseStatus.ACTIVE,
            starts_on=on,
            signed_on=on,
            monthly_rent=locked.monthly_rent,
            monthly_charges=locked.monthly_charges,
            deposit=locked.deposit,
        )
        locked.status = LeaseStatus.SLID
        locked.slid_on = on
        locked.ends_on = on
        locked.slid_into = successor
        locked.full_clean()
        locked.save()
    return locked


# --- Inspections -------------------------------------------------------------------------------


def record_inspection(
    *,
    unit: Unit,
    person: Person,
    kind: str,
    done_on: datetime.date,
    items: Iterable[dict[str, str]],
    actor: User,
    lease: Lease | None = None,
    note: str = "",
) -> Inspection:
    """An entry or exit inspection with its rows (room, element, condition, comment). An exit is
    compared with the person's last entry inspection of the unit, which must exist."""
    require(actor, "housing.manage", unit.organization_id)
    errors = {}
    if kind not in InspectionKind.values:
        errors["kind"] = _("Type d'état des lieux inconnu.")
    if done_on > timezone.localdate():
        errors["done_on"] = _("La date ne peut pas être dans le futur.")
    if person.organization_id != unit.organization_id:
        errors["person"] = _("Cette personne n'est pas suivie par la structure gestionnaire.")
    rows = [row for row in items if row.get("room") and row.get("element")]
    if not rows:
        errors["items"] = _("Décrivez au moins un élément.")
    seen = set()
    for number, row in enumerate(rows, start=1):
        key = (row["room"].strip().lower(), row["element"].strip().lower())
        if key in seen:
            errors["items"] = _(
                "Ligne %(n)s : « %(room)s — %(element)s » est décrit deux fois."
            ) % {
                "n": number,
                "room": row["room"],
                "element": row["element"],
            }
        seen.add(key)
        if row.get("condition") not in ItemCondition.values:
            errors["items"] = _("Ligne %(n)s : choisissez l'état.") % {"n": number}
    entry = None
    if kind == InspectionKind.EXIT and "person" not in errors:
        entry = (
            Inspection.objects.filter(unit=unit, person=person, kind=InspectionKind.ENTRY)
            .filter(exit_inspection__isnull=True)
            .order_by("-done_on", "-id")
            .first()
        )
        if entry is None:
            errors["kind"] = _(
                "Aucun état des lieux d'entrée à comparer pour cette personne et ce logement."
            )
        elif done_on < entry.done_on:
            errors["done_on"] = _("La sortie ne peut pas précéder l'entrée (%(date)s).") % {
                "date": f"{entry.done_on:%d/%m/%Y}"
            }
    if errors:
        raise ValidationError(errors)
    inspection = Inspection(
        organization_id=unit.organization_id,
        unit=unit,
        person=person,
        lease=lease,
        kind=kind,
        done_on=done_on,
        entry=entry,
        note=note.strip(),
        done_by=actor,
    )
    inspection.full_clean()
    with acting_as(actor), transaction.atomic():
        inspection.save()
        audit.bulk_create(
            "housing.inspection_items",
            InspectionItem,
            (
                InspectionItem(
                    inspection=inspection,
                    room=row["room"].strip(),
                    element=row["element"].strip(),
                    condition=row["condition"],
                    comment=(row.get("comment") or "").strip(),
                )
                for row in rows
            ),
            on=inspection,
        )
    return inspection


# --- Housing applications and the waiting list ---------------------------------------------------


def submit_application(
    *,
    residence: Residence,
    person: Person,
    wished_from: datetime.date,
    actor: User,
    wished_until: datetime.date | None = None,
    granularity: str = Granularity.MONTHS,
    rhythm: Rhythm | None = None,
    note: str = "",
    shares_unit: bool = True,
    needs_accessible: bool = False,
) -> HousingApplication:
    """A request for a place, made by the team of the residence's manager for a person it follows.
    ``shares_unit`` and ``needs_accessible`` are what the allocation engine respects."""
    require(actor, "housing.manage", residence.organization_id)
    errors = {}
    if person.organization_id != residence.organization_id:
        errors["person"] = _(
            "Cette personne n'est pas suivie par le gestionnaire : passez par une orientation."
        )
    if rhythm is not None and rhythm.person_id != person.pk:
        errors["rhythm"] = _("Ce rythme est celui d'une autre personne.")
    if HousingApplication.objects.filter(
        residence=residence, person=person, status=ApplicationStatus.PENDING
    ).exists():
        errors["person"] = _("Cette personne a déjà une demande en attente pour cette résidence.")
    if errors:
        raise ValidationError(errors)
    application = HousingApplication(
        organization_id=residence.organization_id,
        residence=residence,
        person=person,
        submitted_on=timezone.localdate(),
        wished_from=wished_from,
        wished_until=wished_until,
        granularity=granularity,
        rhythm=rhythm,
        note=note.strip(),
        shares_unit=shares_unit,
        needs_accessible=needs_accessible,
        submitted_by=actor,
    )
    application.full_clean()
    with acting_as(actor), transaction.atomic():
        application.save()
    return application


def set_waiting_list_rules(
    *, residence: Residence, rules: dict[str, tuple[int, bool]], actor: User
) -> None:
    """{code: (weight, mandatory)} for the criteria of ``waiting_list.CRITERIA``; admins only."""
    require(actor, "housing.waiting_list_rules", residence)
    unknown = [code for code in rules if code not in BY_CODE]
    if unknown:
        raise ValidationError(
            {"rules": _("Critère inconnu : %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    for code, (weight, _mandatory) in rules.items():
        if not 0 <= weight <= 100:
            raise ValidationError(
                {"rules": _("%(label)s : de 0 à 100 points.") % {"label": BY_CODE[code].label}}
            )
    with acting_as(actor), transaction.atomic():
        WaitingListRule.objects.filter(residence=residence).delete()
        audit.bulk_create(
            "housing.waiting_list_rules",
            WaitingListRule,
            (
                WaitingListRule(residence=residence, code=code, weight=weight, mandatory=mandatory)
                for code, (weight, mandatory) in rules.items()
                if weight or mandatory
            ),
            on=residence,
        )


def house_application(
    *, application: HousingApplication, booking: Booking, actor: User
) -> HousingApplication:
    """The applicant got a place with an existing booking: the application closes with it. (A new
    booking answering an application houses it itself: ``book_*(application=…)``.)"""
    require(actor, "housing.manage", application.organization_id)
    _check_houses(application, booking.person, booking.bed)
    with acting_as(actor), transaction.atomic():
        _house(application, booking)
    return application


def _check_houses(application: HousingApplication, person: Person, bed: Bed) -> None:
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("Cette demande n'est plus en attente."))
    if person.pk != application.person_id or bed.unit.residence_id != application.residence_id:
        raise ValidationError(
            _("Cette réservation ne loge pas cette personne dans cette résidence.")
        )


def _house(application: HousingApplication, booking: Booking) -> None:
    """Inside the caller's transaction: the application, still pending, is housed by ``booking``."""
    locked = HousingApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.PENDING:
        raise ValidationError(_("Cette demande n'est plus en attente."))
    application.status = ApplicationStatus.HOUSED
    application.booking = booking
    application.closed_on = timezone.localdate()
    application.save()


def close_application(
    *, application: HousingApplication, status: str, actor: User, note: str = ""
) -> HousingApplication:
    """Refused by the manager or withdrawn by the person (``note`` says why, if given)."""
    require(actor, "housing.manage", application.organization_id)
    if status not in (ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN):
        raise ValidationError({"status": _("Choisissez : refusée ou retirée.")})
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("Cette demande n'est plus en attente."))
    with acting_as(actor), transaction.atomic():
        application.status = status
        application.closed_on = timezone.localdate()
        if note:
            application.note = note[:300]
        application.save()
    return application


# --- School calendars ----------------------------------------------------------------------------


def import_school_calendar(
    *,
    organization: Organization,
    name: str,
    filename: str,
    content: bytes,
    actor: User,
    school: Organization | None = None,
) -> SchoolCalendar:
    """A school calendar from a CSV or iCal file; all or nothing, the faulty lines named."""
    require(actor, "housing.manage", organization.pk)
    lowered = filename.lower()
    if lowered.endswith((".ics", ".ical", ".ifb")):
        weeks = calendar_import.weeks_from_ical(content)
    elif lowered.endswith((".csv", ".txt")):
        weeks = calendar_import.weeks_from_csv(content)
    else:
        raise ValidationError({"file": _("Fichier .csv ou .ics attendu.")})
    calendar = SchoolCalendar(
        organization=organization,
        school=school,
        name=name.strip(),
        weeks=[week.isoformat() for week in weeks],
    )
    calendar.full_clean()
    with acting_as(actor), transaction.atomic():
        calendar.save()
    return calendar

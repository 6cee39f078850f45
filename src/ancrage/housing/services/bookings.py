"""Bookings by week, by month or open-ended, checked against overlaps; cancelling and restoring."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.audit import recorder as audit
from ancrage.core.actor import acting_as
from ancrage.core.dates import add_months
from ancrage.housing.enums import (
    BookingStatus,
    Granularity,
    UnitStatus,
)
from ancrage.housing.models import (
    Bed,
    Booking,
    BookingPeriod,
    HousingApplication,
    Rhythm,
    monday_of,
)
from ancrage.housing.services.applications import _check_houses, _house

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.people.models import Person


OVERLAP_CONSTRAINT = "housing_bookingperiod_no_overlap"


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


def _overlapping(runs: Sequence[tuple[datetime.date, datetime.date | None]]) -> Q:
    condition = Q()
    for start, end in runs:
        overlap = Q(ends_on__isnull=True) | Q(ends_on__gt=start)
        if end is not None:
            overlap &= Q(starts_on__lt=end)
        condition |= overlap
    return condition


def conflicts(
    bed: Bed,
    runs: Sequence[tuple[datetime.date, datetime.date | None]],
    *,
    exclude_booking: Booking | None = None,
) -> list[BookingPeriod]:
    """Active periods of ``bed`` that overlap any of ``runs``."""
    periods = BookingPeriod.objects.filter(bed=bed, is_active=True).filter(_overlapping(runs))
    if exclude_booking is not None:
        periods = periods.exclude(booking=exclude_booking)
    return list(periods.select_related("booking__person").order_by("starts_on"))


def person_conflicts(
    person: Person,
    runs: Sequence[tuple[datetime.date, datetime.date | None]],
    *,
    exclude_booking: Booking | None = None,
) -> list[BookingPeriod]:
    """Active periods of ``person``, on any bed, that overlap any of ``runs``: nobody sleeps in
    two places the same nights."""
    periods = BookingPeriod.objects.filter(
        booking__person=person, booking__status=BookingStatus.ACTIVE, is_active=True
    ).filter(_overlapping(runs))
    if exclude_booking is not None:
        periods = periods.exclude(booking=exclude_booking)
    return list(periods.select_related("bed__unit__residence").order_by("starts_on"))


def _person_conflict_error(person: Person, found: list[BookingPeriod]) -> ValidationError:
    first = found[0]
    return ValidationError(
        {
            "person": _("%(person)s est déjà logé·e %(when)s (%(bed)s, %(residence)s).")
            % {
                "person": person,
                "when": _describe(first),
                "bed": first.bed,
                "residence": first.bed.unit.residence,
            }
        }
    )


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
    external_ref: str = "",
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
    elif unit.in_service_on is not None and runs[0][0] < unit.in_service_on:
        errors["starts_on"] = _("Ce logement n'est en service qu'à partir du %(on)s.") % {
            "on": f"{unit.in_service_on:%d/%m/%Y}"
        }
    elif unit.out_of_service_on is not None and (
        runs[-1][1] is None or runs[-1][1] > unit.out_of_service_on
    ):
        errors["ends_on"] = _("Ce logement est hors service à partir du %(on)s.") % {
            "on": f"{unit.out_of_service_on:%d/%m/%Y}"
        }
    if errors:
        raise ValidationError(errors)
    booking = Booking(
        external_ref=external_ref.strip(),
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
            elsewhere = person_conflicts(person, runs)
            if elsewhere:
                raise _person_conflict_error(person, elsewhere)
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
    external_ref: str = "",
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
        external_ref=external_ref,
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
    external_ref: str = "",
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
        person=person,
        bed=bed,
        weeks=weeks,
        rhythm=rhythm,
        actor=actor,
        application=application,
        external_ref=external_ref,
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
    external_ref: str = "",
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
        external_ref=external_ref,
    )


def book_open_ended(
    *,
    person: Person,
    bed: Bed,
    starts_on: datetime.date,
    actor: User,
    note: str = "",
    application: HousingApplication | None = None,
    external_ref: str = "",
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
        external_ref=external_ref,
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
            elsewhere = person_conflicts(booking.person, runs, exclude_booking=booking)
            if elsewhere:
                raise _person_conflict_error(booking.person, elsewhere)
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

"""Common spaces of a residence and the slots booked in them.

A slot is refused when it overlaps another active one of the same space: checked here for a clear
message (who has it, when), held by the database for concurrent requests (exclusion constraint on
PostgreSQL, triggers on SQLite), the space's row locked while checking."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.core.actor import acting_as
from ancrage.core.assign import UNSET, Maybe, assign
from ancrage.housing.enums import CommonSpaceKind
from ancrage.housing.models import SPACE_OVERLAP_CONSTRAINT, CommonSpace, Residence, SpaceBooking

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.people.models import Person

MAX_SLOT = datetime.timedelta(hours=24)
PAST_LIMIT = datetime.timedelta(days=366)
FUTURE_LIMIT = datetime.timedelta(days=2 * 366)
# Spaces that are used freely rather than booked, unless the manager says otherwise.
UNBOOKED_KINDS = frozenset({CommonSpaceKind.LAUNDRY, CommonSpaceKind.BIKE_STORAGE})


def add_space(
    *,
    residence: Residence,
    actor: User,
    kind: str,
    name: str = "",
    capacity: int | None = None,
    bookable: bool | None = None,
) -> CommonSpace:
    """A common space of ``residence``; named after its kind unless ``name`` is given."""
    require(actor, "housing.manage", residence.organization_id)
    if kind not in CommonSpaceKind.values:
        raise ValidationError({"kind": _("Type d'espace inconnu.")})
    space = CommonSpace(
        organization_id=residence.organization_id,
        residence=residence,
        kind=kind,
        name=(name or "").strip() or str(CommonSpaceKind(kind).label),
        capacity=capacity,
        bookable=kind not in UNBOOKED_KINDS if bookable is None else bookable,
    )
    space.full_clean()
    with acting_as(actor), transaction.atomic():
        space.save()
    return space


def update_space(
    *,
    space: CommonSpace,
    actor: User,
    name: Maybe[str] = UNSET,
    capacity: Maybe[int | None] = UNSET,
    bookable: Maybe[bool] = UNSET,
    is_active: Maybe[bool] = UNSET,
) -> CommonSpace:
    """Rename, resize, open or close a space. Closing it keeps its past and future slots (they
    are listed on its page) but takes no new one."""
    require(actor, "housing.manage", space.organization_id)
    assign(space, name=name, capacity=capacity, bookable=bookable, is_active=is_active)
    space.full_clean()
    with acting_as(actor), transaction.atomic():
        space.save()
    return space


def _slot_label(booking: SpaceBooking) -> str:
    start = timezone.localtime(booking.starts_at)
    end = timezone.localtime(booking.ends_at)
    return _("le %(day)s de %(start)s à %(end)s (%(purpose)s)") % {
        "day": f"{start:%d/%m/%Y}",
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}" if end.date() == start.date() else f"{end:%d/%m/%Y %H:%M}",
        "purpose": booking.purpose,
    }


def overlapping(
    space: CommonSpace,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    *,
    exclude_id: int | None = None,
) -> list[SpaceBooking]:
    bookings = SpaceBooking.objects.filter(
        space=space, is_active=True, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).order_by("starts_at", "id")
    if exclude_id is not None:
        bookings = bookings.exclude(pk=exclude_id)
    return list(bookings)


def _conflict_error(space: CommonSpace, found: list[SpaceBooking]) -> ValidationError:
    if not found:
        return ValidationError(
            {"starts_at": _("Ce créneau vient d'être réservé par quelqu'un d'autre.")}
        )
    return ValidationError(
        {
            "starts_at": _("« %(space)s » est déjà réservé %(slots)s.")
            % {"space": space.name, "slots": " ; ".join(_slot_label(b) for b in found[:3])}
        }
    )


def _check_slot(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError({"starts_at": _("Indiquez l'heure avec son fuseau horaire.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("La fin doit suivre le début.")})
    if ends_at - starts_at > MAX_SLOT:
        raise ValidationError({"ends_at": _("Un créneau dure au plus 24 heures.")})
    now = timezone.now()
    if not now - PAST_LIMIT <= starts_at <= now + FUTURE_LIMIT:
        raise ValidationError(
            {"starts_at": _("Choisissez une date entre il y a un an et dans deux ans.")}
        )


def book_space(
    *,
    space: CommonSpace,
    actor: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    purpose: str,
    person: Person | None = None,
) -> SpaceBooking:
    """Take the slot [starts_at, ends_at) in ``space`` (for ``person``, a resident, if given)."""
    require(actor, "housing.manage", space.organization_id)
    _check_slot(starts_at, ends_at)
    if not space.is_active:
        raise ValidationError({"space": _("Cet espace est fermé.")})
    if not space.bookable:
        raise ValidationError({"space": _("Cet espace ne se réserve pas.")})
    if person is not None and person.organization_id != space.organization_id:
        raise ValidationError(
            {"person": _("Cette personne n'est pas suivie par le gestionnaire de la résidence.")}
        )
    booking = SpaceBooking(
        organization_id=space.organization_id,
        space=space,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=(purpose or "").strip(),
        person=person,
        created_by=actor,
    )
    booking.full_clean()
    try:
        with acting_as(actor), transaction.atomic():
            CommonSpace.objects.select_for_update().get(pk=space.pk)
            found = overlapping(space, starts_at, ends_at)
            if found:
                raise _conflict_error(space, found)
            booking.save()
    except IntegrityError as exc:
        if SPACE_OVERLAP_CONSTRAINT not in str(exc):
            raise
        raise _conflict_error(space, overlapping(space, starts_at, ends_at)) from None
    return booking


def cancel_space_booking(*, booking: SpaceBooking, actor: User) -> SpaceBooking:
    """Free the slot (the booking stays in the history, marked cancelled)."""
    require(actor, "housing.manage", booking.organization_id)
    if not booking.is_active:
        raise ValidationError(_("Cette réservation est déjà annulée."))
    if SpaceBooking.objects.filter(pk=booking.pk, session__isnull=False).exists():
        raise ValidationError(
            _("Ce créneau est celui d'une séance d'action collective : annulez la séance.")
        )
    booking.is_active = False
    booking.cancelled_at = timezone.now()
    with acting_as(actor), transaction.atomic():
        booking.save(update_fields=["is_active", "cancelled_at", "updated_at"])
    return booking

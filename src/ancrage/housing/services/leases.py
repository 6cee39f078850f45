"""Leases and their lifecycle: prepared, signed, ended, slid to the occupant (docs/lifecycles.md)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.core.actor import acting_as
from ancrage.core.dates import add_months
from ancrage.housing.enums import (
    DEFAULT_SLIDE_CONDITIONS,
    LeaseKind,
    LeaseStatus,
)
from ancrage.housing.models import (
    Booking,
    Lease,
    SlideCondition,
    Unit,
)

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.people.models import Person


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
    external_ref: str = "",
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
        external_ref=external_ref.strip(),
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

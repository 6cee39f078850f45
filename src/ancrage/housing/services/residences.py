"""Residences and their units."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.core.actor import acting_as
from ancrage.core.assign import UNSET, Maybe, assign
from ancrage.core.models import Territory
from ancrage.housing.enums import (
    Accessibility,
    BookingStatus,
    CommonSpaceKind,
)
from ancrage.housing.models import (
    Bed,
    BookingPeriod,
    Residence,
    Unit,
)
from ancrage.housing.services.spaces import add_space

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User


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
    external_ref: str = "",
) -> Residence:
    require(actor, "housing.manage", organization.pk)
    spaces = list(dict.fromkeys(common_spaces))
    if any(code not in CommonSpaceKind.values for code in spaces):
        raise ValidationError({"common_spaces": _("Espace commun inconnu.")})
    residence = Residence(organization=organization, external_ref=external_ref.strip())
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
        for kind in spaces:
            add_space(residence=residence, actor=actor, kind=kind)
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
    external_ref: str = "",
    in_service_on: datetime.date | None = None,
    out_of_service_on: datetime.date | None = None,
) -> Unit:
    """A unit and its beds: one unnamed bed for a studio, "lit 1", "lit 2"… for a shared flat.
    Fields left out (or None from an empty form field) keep the model's default."""
    require(actor, "housing.manage", residence.organization_id)
    if not 1 <= beds <= 12:
        raise ValidationError({"beds": _("Un logement a de 1 à 12 lits.")})
    codes = list(dict.fromkeys(accessibility))
    if any(code not in Accessibility.values for code in codes):
        raise ValidationError({"accessibility": _("Critère d'accessibilité inconnu.")})
    unit = Unit(
        organization_id=residence.organization_id,
        residence=residence,
        accessibility=codes,
        external_ref=external_ref.strip(),
    )
    assign(
        unit,
        reference=reference,
        typology=typology,
        monthly_rent=monthly_rent,
        surface=surface,
        weekly_price=weekly_price,
        in_service_on=in_service_on,
        out_of_service_on=out_of_service_on,
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


def set_unit_service(
    *,
    unit: Unit,
    actor: User,
    in_service_on: datetime.date | None,
    out_of_service_on: datetime.date | None,
) -> Unit:
    """The weeks a unit exists for the occupancy figures: from ``in_service_on`` (None: always)
    until ``out_of_service_on`` (None: still in service). A unit cannot leave service while a
    booking still needs it."""
    require(actor, "housing.manage", unit.organization_id)
    if out_of_service_on is not None:
        booked = BookingPeriod.objects.filter(
            bed__unit=unit, is_active=True, booking__status=BookingStatus.ACTIVE
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=out_of_service_on))
        if booked.exists():
            raise ValidationError(
                {
                    "out_of_service_on": _(
                        "Des réservations occupent encore ce logement après cette date : "
                        "terminez-les d'abord."
                    )
                }
            )
    if in_service_on is not None:
        before = BookingPeriod.objects.filter(
            bed__unit=unit,
            is_active=True,
            booking__status=BookingStatus.ACTIVE,
            starts_on__lt=in_service_on,
        )
        if before.exists():
            raise ValidationError(
                {"in_service_on": _("Des réservations occupent déjà ce logement avant cette date.")}
            )
    unit.in_service_on, unit.out_of_service_on = in_service_on, out_of_service_on
    unit.full_clean()
    with acting_as(actor), transaction.atomic():
        unit.save(update_fields=["in_service_on", "out_of_service_on", "updated_at"])
    return unit

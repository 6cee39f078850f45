"""Charges per period, housing allowances paid to the manager, payments."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.core.actor import acting_as
from ancrage.core.validation import check_day
from ancrage.housing import rent
from ancrage.housing.enums import (
    BookingStatus,
    Granularity,
)
from ancrage.housing.models import (
    Booking,
    Charge,
    Payment,
    Residence,
    ThirdPartyPayment,
)

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.people.models import Person


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


def generate_residence_charges(
    *, residence: Residence, through: datetime.date, actor: User
) -> list[Charge]:
    """The month's charges of every active booking of a residence, up to the month of
    ``through``: all issued, or none when one booking cannot be charged (the message names its
    occupant and unit). Months already charged are left as they are."""
    require(actor, "housing.manage", residence.organization_id)
    bookings = (
        Booking.objects.filter(
            bed__unit__residence=residence,
            status=BookingStatus.ACTIVE,
            starts_on__lt=rent.next_month(through),
        )
        .select_related("bed__unit", "person")
        .order_by("person__last_name", "person__first_name", "id")
    )
    created: list[Charge] = []
    errors = []
    with transaction.atomic():
        for booking in bookings:
            try:
                created += generate_charges(booking=booking, through=through, actor=actor)
            except ValidationError as error:
                errors += [
                    _("%(person)s, logement %(unit)s : %(message)s")
                    % {"person": booking.person, "unit": booking.bed.unit.reference, "message": m}
                    for m in error.messages
                ]
        if errors:
            transaction.set_rollback(True)
            raise ValidationError(errors)
    return created


def record_allowance(
    *,
    person: Person,
    source: str,
    month: datetime.date,
    amount: Decimal,
    actor: User,
    external_ref: str = "",
) -> ThirdPartyPayment:
    """A housing allowance received for an occupant (APL, Mobili-Jeune…)."""
    require(actor, "housing.manage", person.organization_id)
    payment = ThirdPartyPayment(
        external_ref=external_ref.strip(),
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
    *,
    person: Person,
    amount: Decimal,
    paid_on: datetime.date,
    method: str,
    actor: User,
    external_ref: str = "",
) -> Payment:
    require(actor, "housing.manage", person.organization_id)
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("La date ne peut pas être dans le futur.")})
    check_day(paid_on, field="paid_on", label=_("Date du paiement"), future_years=None)
    payment = Payment(
        external_ref=external_ref.strip(),
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

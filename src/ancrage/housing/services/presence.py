"""The staff's weekly presence at a residence, and the requests and incidents brought to them."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.core.actor import acting_as
from ancrage.core.validation import check_day
from ancrage.housing.models import (
    RequestKind,
    RequestStatus,
    Residence,
    ResidenceRequest,
    StaffSlot,
    Weekday,
)

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.people.models import Person


def add_staff_slot(
    *,
    residence: Residence,
    actor: User,
    weekday: int,
    starts: datetime.time,
    ends: datetime.time,
    who: str,
) -> StaffSlot:
    """Someone on site every week on ``weekday`` (1 = Monday) from ``starts`` to ``ends``."""
    require(actor, "housing.manage", residence.organization_id)
    if weekday not in Weekday.values:
        raise ValidationError({"weekday": _("Jour inconnu.")})
    if ends <= starts:
        raise ValidationError({"ends": _("La fin doit suivre le début.")})
    slot = StaffSlot(
        organization_id=residence.organization_id,
        residence=residence,
        weekday=weekday,
        starts=starts,
        ends=ends,
        who=(who or "").strip(),
    )
    slot.full_clean()
    with acting_as(actor), transaction.atomic():
        slot.save()
    return slot


def remove_staff_slot(*, slot: StaffSlot, actor: User) -> None:
    require(actor, "housing.manage", slot.organization_id)
    with acting_as(actor), transaction.atomic():
        slot.delete()


def log_request(
    *,
    residence: Residence,
    actor: User,
    kind: str,
    occurred_on: datetime.date,
    summary: str,
    person: Person | None = None,
) -> ResidenceRequest:
    """A request or an incident brought to the staff, to be followed to done."""
    require(actor, "housing.manage", residence.organization_id)
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("Nature inconnue.")})
    check_day(occurred_on, field="occurred_on", label=_("Date"), future_years=None)
    if person is not None and person.organization_id != residence.organization_id:
        raise ValidationError(
            {"person": _("Cette personne n'est pas suivie par le gestionnaire de la résidence.")}
        )
    request = ResidenceRequest(
        organization_id=residence.organization_id,
        residence=residence,
        kind=kind,
        occurred_on=occurred_on,
        summary=(summary or "").strip(),
        person=person,
        recorded_by=actor,
    )
    request.full_clean()
    with acting_as(actor), transaction.atomic():
        request.save()
    return request


def set_request_status(
    *, request: ResidenceRequest, status: str, actor: User, on: datetime.date | None = None
) -> ResidenceRequest:
    """Move a request along (à traiter → en cours → traitée), or reopen it."""
    require(actor, "housing.manage", request.organization_id)
    if status not in RequestStatus.values:
        raise ValidationError({"status": _("État inconnu.")})
    request.status = status
    request.done_on = (on or timezone.localdate()) if status == RequestStatus.DONE else None
    with acting_as(actor), transaction.atomic():
        request.save(update_fields=["status", "done_on", "updated_at"])
    return request

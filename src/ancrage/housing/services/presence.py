"""The staff's weekly presence at a residence, the requests and incidents brought to them, and
the intergenerational pairs of residents."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.core.actor import acting_as
from ancrage.core.validation import check_day
from ancrage.housing.models import (
    Pairing,
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


SENIOR_AGE = 60
YOUNG_AGE = 30


def create_pairing(
    *,
    residence: Residence,
    actor: User,
    senior: Person,
    junior: Person,
    started_on: datetime.date,
    commitments: str,
) -> Pairing:
    """Pair a senior and a young resident of ``residence`` (both housed there on ``started_on``)."""
    from ancrage.housing.queries import stays
    from ancrage.people.models import age_on

    require(actor, "housing.manage", residence.organization_id)
    check_day(started_on, field="started_on", label=_("Date"), future_years=1)
    if senior.pk == junior.pk:
        raise ValidationError({"junior": _("Un binôme réunit deux personnes.")})
    housed = stays([residence.pk], started_on, started_on + datetime.timedelta(days=1))
    for field, person in (("senior", senior), ("junior", junior)):
        if person.organization_id != residence.organization_id or person.pk not in housed:
            raise ValidationError(
                {
                    field: _("%(person)s n'habite pas la résidence le %(day)s.")
                    % {"person": person, "day": f"{started_on:%d/%m/%Y}"}
                }
            )
    senior_age, junior_age = (
        age_on(senior.birth_date, started_on),
        age_on(junior.birth_date, started_on),
    )
    if senior_age is not None and senior_age < SENIOR_AGE:
        raise ValidationError(
            {"senior": _("L'aîné·e a au moins %(age)s ans.") % {"age": SENIOR_AGE}}
        )
    if junior_age is not None and junior_age > YOUNG_AGE:
        raise ValidationError(
            {"junior": _("Le ou la jeune a au plus %(age)s ans.") % {"age": YOUNG_AGE}}
        )
    current = Pairing.objects.current().filter(
        Q(senior__in=[senior, junior]) | Q(junior__in=[senior, junior])
    )
    if current.exists():
        raise ValidationError(_("L'une de ces personnes a déjà un binôme en cours."))
    pairing = Pairing(
        organization_id=residence.organization_id,
        residence=residence,
        senior=senior,
        junior=junior,
        started_on=started_on,
        commitments=(commitments or "").strip(),
    )
    pairing.full_clean()
    with acting_as(actor), transaction.atomic():
        pairing.save()
    return pairing


def end_pairing(*, pairing: Pairing, actor: User, on: datetime.date) -> Pairing:
    require(actor, "housing.manage", pairing.organization_id)
    if pairing.ended_on is not None:
        raise ValidationError(_("Ce binôme a déjà pris fin."))
    check_day(on, field="on", label=_("Date de fin"), future_years=None)
    if on < pairing.started_on:
        raise ValidationError({"on": _("La fin suit le début.")})
    pairing.ended_on = on
    with acting_as(actor), transaction.atomic():
        pairing.save(update_fields=["ended_on", "updated_at"])
    return pairing

"""Inventories of fixtures."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.audit import recorder as audit
from ancrage.core.actor import acting_as
from ancrage.housing.enums import (
    InspectionKind,
    ItemCondition,
)
from ancrage.housing.models import (
    MAX_INSPECTION_ITEMS,
    Inspection,
    InspectionItem,
    Lease,
    Unit,
)

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.people.models import Person


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
    external_ref: str = "",
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
    if len(rows) > MAX_INSPECTION_ITEMS:
        errors["items"] = _("%(max)s éléments au plus.") % {"max": MAX_INSPECTION_ITEMS}
        rows = []
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
        external_ref=external_ref.strip(),
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

"""This app's part of anonymising a person (``privacy`` runs every app's part in one transaction)."""

from __future__ import annotations

from typing import Any

from ancrage.audit.recorder import bulk_update_declared
from ancrage.people.models import Person

# Free text per model, reached from the person by the path: blanked.
ANONYMISED_FIELDS: dict[str, tuple[str, dict[str, Any]]] = {
    "housing.Rhythm": ("person", {"name": "", "external_ref": ""}),
    "housing.Booking": ("person", {"note": "", "external_ref": ""}),
    "housing.HousingApplication": ("person", {"note": "", "external_ref": ""}),
    "housing.Inspection": ("person", {"note": "", "external_ref": ""}),
    "housing.Lease": ("person", {"external_ref": ""}),
    "housing.Payment": ("person", {"external_ref": ""}),
    "housing.ThirdPartyPayment": ("person", {"external_ref": ""}),
    "housing.InspectionItem": ("inspection__person", {"comment": ""}),
    # The conditions of a sliding lease may be written for the person: « condition n° id » stays.
    "housing.SlideCondition": ("lease__person", {"label": "condition"}),
}
# Text kept on purpose, with why (tests/privacy/test_anonymisation.py fails on any other).
KEPT_TEXT_FIELDS = {
    "housing.Residence.external_ref": "a residence's id in another system, names no one",
    "housing.Unit.external_ref": "a unit's id in another system, names no one",
    "housing.Rhythm.custom_school_weeks": "dates of school weeks, name no one",
    "housing.Charge.label": "generated from the month and the unit (« Redevance 11/2026 »)",
    "housing.InspectionItem.room": "the room of the unit (« Cuisine »), names no one",
    "housing.InspectionItem.element": "the element inspected (« Murs »), names no one",
}


def anonymise_housing_of(person: Person) -> None:
    """Blank the free text of the person's housing records (the figures stay)."""
    bulk_update_declared("privacy.anonymisation", ANONYMISED_FIELDS, on=person)

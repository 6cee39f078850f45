"""This app's part of anonymising a person (``privacy`` runs every app's part in one transaction):
the free text of their deliveries; quantities, costs and dates stay for the statements."""

from __future__ import annotations

from typing import Any

from ancrage.audit.recorder import bulk_update_declared
from ancrage.people.models import Person

# Free text per model, reached from the person by the path: blanked.
ANONYMISED_FIELDS: dict[str, tuple[str, dict[str, Any]]] = {
    "catalogue.Delivery": ("person", {"reason_beyond": ""}),
}
# Text kept on purpose, with why (tests/privacy/test_anonymisation.py fails on any other).
KEPT_TEXT_FIELDS: dict[str, str] = {}


def anonymise_catalogue_of(person: Person) -> None:
    """Blank the reasons written on the person's deliveries (the figures stay)."""
    bulk_update_declared("privacy.anonymisation", ANONYMISED_FIELDS, on=person)

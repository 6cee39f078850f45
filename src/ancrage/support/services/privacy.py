"""This app's part of anonymising a person (``privacy`` runs every app's part in one transaction)."""

from __future__ import annotations

from typing import Any

from ancrage.audit.recorder import bulk_update_declared
from ancrage.people.models import Person
from ancrage.support.models import Note

# Free text and contact details per model, reached from the person by the path: blanked.
ANONYMISED_FIELDS: dict[str, tuple[str, dict[str, Any]]] = {
    "support.Contact": ("person", {"outcome_detail": "", "external_ref": ""}),
    "support.Appointment": ("person", {"place": "", "purpose": "", "external_ref": ""}),
    "support.Referral": (
        "person",
        {"purpose": "", "shared_data": {}, "refusal_reason": "", "external_ref": ""},
    ),
    "support.Enrollment": ("person", {"external_ref": ""}),
    "support.Assessment": ("enrollment__person", {"external_ref": ""}),
    "support.EnrollmentEvent": ("enrollment__person", {"note": ""}),
    "support.Exit": ("enrollment__person", {"note": ""}),
    "support.Step": ("enrollment__person", {"reference": "", "note": "", "external_ref": ""}),
    "support.FollowUp": ("exit__enrollment__person", {"note": ""}),
    "support.AdaptationWork": ("enrollment__person", {"note": "", "external_ref": ""}),
    "support.InsertionMilestone": ("enrollment__person", {"detail": "", "external_ref": ""}),
}
# Text kept on purpose, with why (tests/privacy/test_anonymisation.py fails on any other).
KEPT_TEXT_FIELDS = {
    "support.Contact.subjects": "codes from a fixed list (the contact's subjects)",
    "support.Assessment.health_needs": "codes from a fixed list, never a diagnosis",
    "support.Assessment.home_works": "codes from a fixed list (works the home needs)",
    "support.Note.body": "notes are deleted, not blanked",
}


def anonymise_support_of(person: Person) -> None:
    """Delete the notes about the person and blank the free text of their support records."""
    for note in Note.objects.filter(enrollment__person=person):
        note.delete()
    bulk_update_declared("privacy.anonymisation", ANONYMISED_FIELDS, on=person)

"""Writes on housing, by sub-domain. Keyword-only, the acting user last, one transaction, audited.

Bookings: the service checks overlaps to give a precise message; the database refuses any overlap
that slips through (two people booking the same bed at the same instant): see ``models``."""

from ancrage.housing.services.applications import (
    _check_houses,
    _house,
    close_application,
    house_application,
    set_waiting_list_rules,
    submit_application,
)
from ancrage.housing.services.bookings import (
    OVERLAP_CONSTRAINT,
    _book,
    _conflict_error,
    _describe,
    _runs,
    book_months,
    book_open_ended,
    book_rhythm,
    book_weeks,
    cancel_booking,
    conflicts,
    restore_booking,
)
from ancrage.housing.services.calendars import create_rhythm, import_school_calendar
from ancrage.housing.services.inspections import record_inspection
from ancrage.housing.services.leases import (
    _lease_transition,
    end_lease,
    prepare_lease,
    set_slide_condition,
    sign_lease,
    slide_lease,
)
from ancrage.housing.services.presence import (
    add_staff_slot,
    create_pairing,
    end_pairing,
    log_request,
    remove_staff_slot,
    set_request_status,
)
from ancrage.housing.services.rent import (
    _charges_for,
    _weeks_text,
    generate_charges,
    generate_residence_charges,
    record_allowance,
    record_payment,
)
from ancrage.housing.services.residences import (
    create_residence,
    create_unit,
    set_unit_service,
)
from ancrage.housing.services.spaces import (
    add_space,
    book_space,
    cancel_space_booking,
    update_space,
)
from ancrage.housing.services.surveys import (
    create_survey,
    renew_link,
    submit_answers,
    update_survey,
)

__all__ = [
    "create_pairing",
    "end_pairing",
    "add_staff_slot",
    "log_request",
    "remove_staff_slot",
    "set_request_status",
    "create_survey",
    "renew_link",
    "submit_answers",
    "update_survey",
    "add_space",
    "book_space",
    "cancel_space_booking",
    "update_space",
    "OVERLAP_CONSTRAINT",
    "_book",
    "_charges_for",
    "_check_houses",
    "_conflict_error",
    "_describe",
    "_house",
    "_lease_transition",
    "_runs",
    "_weeks_text",
    "book_months",
    "book_open_ended",
    "book_rhythm",
    "book_weeks",
    "cancel_booking",
    "close_application",
    "conflicts",
    "create_residence",
    "create_rhythm",
    "create_unit",
    "set_unit_service",
    "end_lease",
    "generate_charges",
    "generate_residence_charges",
    "house_application",
    "import_school_calendar",
    "prepare_lease",
    "record_allowance",
    "record_inspection",
    "record_payment",
    "restore_booking",
    "set_slide_condition",
    "set_waiting_list_rules",
    "sign_lease",
    "slide_lease",
    "submit_application",
]

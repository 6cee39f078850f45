"""Housing's models by sub-domain: residences and units, calendars and rhythms, bookings, rent,
leases, inspections, applications, common spaces. Import them from here.

No two active booking periods of one bed overlap: a PostgreSQL exclusion constraint and, on SQLite,
triggers (migration ``0002_no_overlapping_periods``) hold it in the database, whatever the code does."""

from ancrage.housing.models.applications import HousingApplication, WaitingListRule
from ancrage.housing.models.bookings import Booking, BookingPeriod, BookingQuerySet
from ancrage.housing.models.calendars import Rhythm, SchoolCalendar, iso_week_label, monday_of
from ancrage.housing.models.inspections import MAX_INSPECTION_ITEMS, Inspection, InspectionItem
from ancrage.housing.models.leases import Lease, SlideCondition
from ancrage.housing.models.presence import (
    Pairing,
    RequestKind,
    RequestStatus,
    ResidenceRequest,
    StaffSlot,
    Weekday,
)
from ancrage.housing.models.rent import Charge, Payment, ThirdPartyPayment
from ancrage.housing.models.residences import Bed, Residence, ResidenceQuerySet, Unit
from ancrage.housing.models.spaces import SPACE_OVERLAP_CONSTRAINT, CommonSpace, SpaceBooking
from ancrage.housing.models.surveys import (
    MAX_QUESTIONS,
    SCALE_LABELS,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)

__all__ = [
    "Pairing",
    "RequestKind",
    "RequestStatus",
    "ResidenceRequest",
    "StaffSlot",
    "Weekday",
    "MAX_QUESTIONS",
    "SCALE_LABELS",
    "QuestionKind",
    "Survey",
    "SurveyAnswer",
    "SurveyQuestion",
    "SurveyResponse",
    "SPACE_OVERLAP_CONSTRAINT",
    "Bed",
    "Booking",
    "BookingPeriod",
    "BookingQuerySet",
    "Charge",
    "CommonSpace",
    "HousingApplication",
    "Inspection",
    "InspectionItem",
    "MAX_INSPECTION_ITEMS",
    "Lease",
    "Payment",
    "Residence",
    "ResidenceQuerySet",
    "Rhythm",
    "SchoolCalendar",
    "SlideCondition",
    "SpaceBooking",
    "ThirdPartyPayment",
    "Unit",
    "WaitingListRule",
    "iso_week_label",
    "monday_of",
]

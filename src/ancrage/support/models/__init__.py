"""Support's models by sub-domain: contacts and desks, enrollments (events, exit, follow-ups after
exit), steps and notes, assessments, pathways (works, insertion milestones), referrals, the agenda. Import them from here."""

from ancrage.support.models.agenda import Appointment, CalendarFeed
from ancrage.support.models.assessments import Assessment
from ancrage.support.models.contacts import Contact, Desk, with_subject
from ancrage.support.models.enrollments import (
    FOLLOW_UP_EARLY_DAYS,
    Enrollment,
    EnrollmentEvent,
    EnrollmentQuerySet,
    Exit,
    FollowUp,
    FollowUpQuerySet,
)
from ancrage.support.models.pathways import AdaptationWork, InsertionMilestone
from ancrage.support.models.referrals import Referral, ReferralQuerySet
from ancrage.support.models.steps import Note, NoteQuerySet, Step

__all__ = [
    "AdaptationWork",
    "Appointment",
    "Assessment",
    "CalendarFeed",
    "Contact",
    "Desk",
    "Enrollment",
    "EnrollmentEvent",
    "EnrollmentQuerySet",
    "Exit",
    "FOLLOW_UP_EARLY_DAYS",
    "FollowUp",
    "FollowUpQuerySet",
    "InsertionMilestone",
    "Note",
    "NoteQuerySet",
    "Referral",
    "ReferralQuerySet",
    "Step",
    "_priority_field",
    "with_subject",
]

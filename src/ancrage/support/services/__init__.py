"""Writes on support, by sub-domain: contacts and desks, the enrollment lifecycle, steps, notes and
assessments, referrals, the agenda. Keyword-only, the acting user last, one transaction, audited."""

from ancrage.support.services.agenda import (
    calendar_feed_for_key,
    create_calendar_feed,
    revoke_calendar_feed,
    schedule_appointment,
    set_appointment_status,
)
from ancrage.support.services.contacts import (
    create_desk,
    link_contact_to_person,
    prepare_contact,
    record_contact,
    save_contacts,
)
from ancrage.support.services.enrollments import (
    TRANSITIONS,
    abandon_enrollment,
    close_enrollment,
    open_enrollment,
    record_follow_up,
    refuse_enrollment,
    start_assessment,
    start_support,
)
from ancrage.support.services.pathways import (
    add_milestone,
    delete_milestone,
    plan_work,
    record_home_adapted,
    record_work_done,
    set_pathway,
)
from ancrage.support.services.referrals import (
    SHAREABLE_KEYS,
    accept_referral,
    refuse_referral,
    send_referral,
)
from ancrage.support.services.steps import (
    add_note,
    add_step,
    record_assessment,
    set_step_status,
    set_steps_status,
)

__all__ = [
    "add_milestone",
    "delete_milestone",
    "plan_work",
    "record_home_adapted",
    "record_work_done",
    "set_pathway",
    "SHAREABLE_KEYS",
    "TRANSITIONS",
    "abandon_enrollment",
    "accept_referral",
    "add_note",
    "add_step",
    "calendar_feed_for_key",
    "close_enrollment",
    "create_calendar_feed",
    "create_desk",
    "link_contact_to_person",
    "open_enrollment",
    "record_assessment",
    "record_contact",
    "prepare_contact",
    "save_contacts",
    "record_follow_up",
    "refuse_enrollment",
    "refuse_referral",
    "revoke_calendar_feed",
    "schedule_appointment",
    "send_referral",
    "set_appointment_status",
    "set_step_status",
    "set_steps_status",
    "start_assessment",
    "start_support",
]

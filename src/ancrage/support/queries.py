"""Reads on support records for views and other apps."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.permissions import get_for_user
from ancrage.accounts.queries import members_allowed
from ancrage.core.timeline import TimelineEntry, at_day
from ancrage.support.enums import (
    OPEN_STATUSES,
    PENDING_STEP_STATUSES,
    AppointmentStatus,
    ReferralStatus,
)
from ancrage.support.models import (
    Appointment,
    Contact,
    Desk,
    Enrollment,
    EnrollmentEvent,
    Exit,
    FollowUp,
    Note,
    Referral,
    Step,
)


def get_enrollment_for_user(user, enrollment_id, *, write: bool = False) -> Enrollment:
    return get_for_user(
        Enrollment.objects.visible_to(user).select_related(
            "person", "referent", "organization", "program"
        ),
        enrollment_id,
        user,
        action="support.record" if write else None,
    )


def overdue_steps(user, organization) -> QuerySet[Step]:
    """Steps past their due date in the enrollments ``user`` follows in ``organization``."""
    return (
        Step.objects.visible_to(user)
        .filter(
            organization=organization,
            enrollment__referent=user,
            enrollment__status__in=OPEN_STATUSES,
            status__in=PENDING_STEP_STATUSES,
            due_on__lt=timezone.localdate(),
        )
        .select_related("enrollment__person")
        .order_by("due_on", "id")
    )


def coming_appointments(user, organization, *, until: datetime.datetime) -> QuerySet[Appointment]:
    """``user``'s planned appointments in ``organization`` from now until ``until``."""
    return (
        Appointment.objects.visible_to(user)
        .filter(
            organization=organization,
            counsellor=user,
            status=AppointmentStatus.PLANNED,
            starts_at__gte=timezone.now(),
            starts_at__lt=until,
        )
        .select_related("person", "desk")
        .order_by("starts_at", "id")
    )


def follow_ups_due(user, organization, *, until: datetime.date) -> QuerySet[FollowUp]:
    """Follow-ups not yet recorded, due by ``until``, of the exits of ``user``'s enrollments."""
    return (
        FollowUp.objects.visible_to(user)
        .pending()
        .filter(
            exit__enrollment__organization=organization,
            exit__enrollment__referent=user,
            due_on__lte=until,
        )
        .select_related("exit__enrollment__person")
        .order_by("due_on", "id")
    )


def referrals_to_answer(user, organization) -> QuerySet[Referral]:
    """Referrals ``organization`` received and has not answered yet, oldest first."""
    return (
        Referral.objects.visible_to(user)
        .filter(receiver=organization, status=ReferralStatus.SENT)
        .select_related("sender")
        .order_by("sent_on", "id")
    )


def referrals_sent(user, organization, *, decided_since: datetime.date) -> QuerySet[Referral]:
    """Referrals ``organization`` sent that wait for an answer or were answered since
    ``decided_since``: what a sender checks on."""
    return (
        Referral.objects.visible_to(user)
        .filter(sender=organization)
        .filter(Q(status=ReferralStatus.SENT) | Q(decided_on__gte=decided_since))
        .select_related("receiver", "person")
        .order_by("-sent_on", "-id")
    )


def possible_referents(organization):
    """Team members who can follow someone (admin, coordination, counsellors)."""
    return members_allowed(organization, "support.record")


def active_desks(organization):
    """The organization's decentralised desks still in use, for pickers in other apps."""
    return Desk.objects.filter(organization=organization, is_active=True).order_by("name")


def timeline_entries(person, *, limit: int) -> list[TimelineEntry]:
    """The person's contacts, enrollment events, steps, appointments and follow-ups, each source
    capped at ``limit`` (one query each), for ``ancrage.casefile``'s timeline."""

    entries: list[TimelineEntry] = []
    for c in Contact.objects.filter(person=person).order_by("-occurred_at")[:limit]:
        subjects = ", ".join(str(label) for label in c.subject_labels()).lower()
        entries.append(
            TimelineEntry(
                c.occurred_at,
                _("Contact"),
                f"{c.get_channel_display()} — {subjects} ; suite : {c.get_outcome_display().lower()}",
            )
        )
    events = (
        EnrollmentEvent.objects.filter(enrollment__person=person)
        .select_related("enrollment")
        .order_by("-on", "-id")[:limit]
    )
    for e in events:
        entries.append(
            TimelineEntry(
                at_day(e.on),
                _("Accompagnement"),
                f"{e.get_to_status_display()}" + (f" — {e.note}" if e.note else ""),
                reverse("support:enrollment_detail", args=[e.enrollment_id]),
                has_time=False,
            )
        )
    for s in Step.objects.filter(enrollment__person=person).order_by("-created_at")[:limit]:
        url = reverse("support:enrollment_detail", args=[s.enrollment_id])
        entries.append(
            TimelineEntry(s.created_at, _("Démarche"), f"{s.get_kind_display()} engagée", url)
        )
        if s.done_on:
            entries.append(
                TimelineEntry(
                    at_day(s.done_on),
                    _("Démarche"),
                    f"{s.get_kind_display()} : {s.get_status_display().lower()}",
                    url,
                    has_time=False,
                )
            )
    appointments = (
        Appointment.objects.filter(person=person)
        .select_related("counsellor", "desk")
        .order_by("-starts_at")[:limit]
    )
    for a in appointments:
        entries.append(
            TimelineEntry(
                a.starts_at,
                _("Rendez-vous"),
                f"avec {a.counsellor}"
                + (f", {a.where}" if a.where else "")
                + f" ({a.get_status_display().lower()})",
            )
        )
    follow_ups = (
        FollowUp.objects.filter(exit__enrollment__person=person, done_on__isnull=False)
        .select_related("exit")
        .order_by("-done_on")[:limit]
    )
    for f in follow_ups:
        text = (
            f"{f.get_housing_display()} ; {f.get_activity_display().lower()}"
            if f.reached
            else str(_("personne non jointe"))
        )
        entries.append(
            TimelineEntry(
                at_day(f.done_on),
                _("Suivi après sortie"),
                f"{f.get_kind_display()} : {text}",
                reverse("support:enrollment_detail", args=[f.exit.enrollment_id]),
                has_time=False,
            )
        )
    return entries


def people_active_since(day: datetime.date) -> list[QuerySet]:
    """Ids of the people whose support shows activity on or after ``day`` (a contact, an
    appointment, a step worked on, a referral, a note, an exit or a follow-up done), or is still
    open: the retention task archives no one in these. A follow-up only planned is not a contact."""
    since = at_day(day)
    return [
        Enrollment.objects.filter(status__in=OPEN_STATUSES)
        .filter(person_id__isnull=False)
        .values("person_id"),
        Enrollment.objects.filter(
            Q(requested_on__gte=day) | Q(started_on__gte=day) | Q(ended_on__gte=day)
        )
        .filter(person_id__isnull=False)
        .values("person_id"),
        Contact.objects.filter(occurred_at__gte=since)
        .filter(person_id__isnull=False)
        .values("person_id"),
        Appointment.objects.filter(starts_at__gte=since)
        .filter(person_id__isnull=False)
        .values("person_id"),
        Referral.objects.filter(Q(sent_on__gte=day) | Q(decided_on__gte=day))
        .filter(person_id__isnull=False)
        .values("person_id"),
        Step.objects.filter(Q(updated_at__gte=since) | Q(done_on__gte=day))
        .filter(enrollment__person_id__isnull=False)
        .values("enrollment__person_id"),
        Note.objects.filter(created_at__gte=since)
        .filter(enrollment__person_id__isnull=False)
        .values("enrollment__person_id"),
        Exit.objects.filter(exited_on__gte=day)
        .filter(enrollment__person_id__isnull=False)
        .values("enrollment__person_id"),
        FollowUp.objects.filter(done_on__gte=day)
        .filter(exit__enrollment__person_id__isnull=False)
        .values("exit__enrollment__person_id"),
    ]

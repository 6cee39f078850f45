"""What support tells members (through ``ancrage.notifications``): referrals received and decided,
and each morning the steps and follow-ups due and tomorrow's appointments. Messages name a
person by first name only; e-mails not even that."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.queries import members_allowed
from ancrage.notifications.enums import NotificationKind
from ancrage.notifications.services import notify
from ancrage.support.enums import OPEN_STATUSES, PENDING_STEP_STATUSES, AppointmentStatus
from ancrage.support.models import Appointment, FollowUp, Referral, Step

# A step past due is told once, if it fell due in the last days (not years of history).
LOOK_BACK_DAYS = 7


def referral_sent(referral: Referral) -> None:
    """The receiving team is told, once the sending commits."""

    def tell() -> None:
        first_name = referral.shared_data.get("first_name") or _("une personne")
        notify(
            recipients=members_allowed(referral.receiver, "support.record"),
            organization=referral.receiver,
            kind=NotificationKind.REFERRAL_RECEIVED,
            message=_("%(sender)s vous oriente %(first_name)s.")
            % {"sender": referral.sender.name, "first_name": first_name},
            link=reverse("support:referral_detail", args=[referral.pk]),
            key=f"referral:{referral.pk}:sent",
        )

    transaction.on_commit(tell)


def referral_decided(referral: Referral) -> None:
    """The member who sent it is told of the answer."""

    def tell() -> None:
        if referral.sent_by is None:
            return
        accepted = referral.status == "accepted"
        notify(
            recipients=[referral.sent_by],
            organization=referral.sender,
            kind=NotificationKind.REFERRAL_ACCEPTED
            if accepted
            else NotificationKind.REFERRAL_REFUSED,
            message=(
                _("%(receiver)s a accepté l'orientation de %(first_name)s.")
                if accepted
                else _("%(receiver)s a refusé l'orientation de %(first_name)s.")
            )
            % {"receiver": referral.receiver.name, "first_name": referral.person.first_name},
            link=reverse("support:referral_detail", args=[referral.pk]),
            key=f"referral:{referral.pk}:{referral.status}",
        )

    transaction.on_commit(tell)


def notify_due_today(*, today: datetime.date | None = None) -> int:
    """Each morning: steps falling due (today or in the last days, told once), follow-ups due, and
    tomorrow's appointments, to the referent or the counsellor. Returns how many were told."""
    today = today or timezone.localdate()
    told = 0
    steps = Step.objects.filter(
        enrollment__status__in=OPEN_STATUSES,
        enrollment__referent__isnull=False,
        status__in=PENDING_STEP_STATUSES,
        due_on__lte=today,
        due_on__gte=today - datetime.timedelta(days=LOOK_BACK_DAYS),
    ).select_related("enrollment__person", "enrollment__referent", "organization")
    for step in steps:
        told += len(
            notify(
                recipients=[step.enrollment.referent],
                organization=step.organization,
                kind=NotificationKind.STEP_DUE,
                message=_("%(kind)s pour %(first_name)s : échéance le %(day)s.")
                % {
                    "kind": step.get_kind_display(),
                    "first_name": step.enrollment.person.first_name,
                    "day": f"{step.due_on:%d/%m/%Y}",
                },
                link=reverse("support:enrollment_detail", args=[step.enrollment_id]),
                key=f"step:{step.pk}:{step.due_on:%Y%m%d}",
            )
        )
    follow_ups = (
        FollowUp.objects.pending()
        .filter(due_on__lte=today, exit__enrollment__referent__isnull=False)
        .filter(due_on__gte=today - datetime.timedelta(days=LOOK_BACK_DAYS))
        .select_related("exit__enrollment__person", "exit__enrollment__referent")
        .select_related("exit__enrollment__organization")
    )
    for follow_up in follow_ups:
        enrollment = follow_up.exit.enrollment
        told += len(
            notify(
                recipients=[enrollment.referent],
                organization=enrollment.organization,
                kind=NotificationKind.FOLLOW_UP_DUE,
                message=_("Prendre des nouvelles de %(first_name)s (%(kind)s).")
                % {
                    "first_name": enrollment.person.first_name,
                    "kind": follow_up.get_kind_display(),
                },
                link=reverse("support:enrollment_detail", args=[enrollment.pk]),
                key=f"follow-up:{follow_up.pk}",
            )
        )
    tomorrow = today + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time()))
    appointments = Appointment.objects.filter(
        status=AppointmentStatus.PLANNED,
        starts_at__gte=start,
        starts_at__lt=start + datetime.timedelta(days=1),
    ).select_related("person", "counsellor", "organization")
    for appointment in appointments:
        told += len(
            notify(
                recipients=[appointment.counsellor],
                organization=appointment.organization,
                kind=NotificationKind.APPOINTMENT_TOMORROW,
                message=_("Rendez-vous demain à %(time)s avec %(first_name)s.")
                % {
                    "time": f"{timezone.localtime(appointment.starts_at):%H:%M}",
                    "first_name": appointment.person.first_name,
                },
                link=reverse("support:agenda"),
                key=f"appointment:{appointment.pk}:{tomorrow:%Y%m%d}",
            )
        )
    return told

import datetime

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ancrage.support.enums import OPEN_STATUSES, PENDING_STEP_STATUSES, AppointmentStatus
from ancrage.support.models import Appointment, Enrollment, FollowUp, Step

NEXT_DAYS = 14


@require_GET
def caseload(request):
    """The counsellor's desk: the people they follow in the current organization, and late steps."""
    organization = request.membership.organization
    enrollments = list(
        Enrollment.objects.visible_to(request.user)
        .open()
        .filter(organization=organization, referent=request.user)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )
    overdue = list(
        Step.objects.visible_to(request.user)
        .filter(
            organization=organization,
            enrollment__referent=request.user,
            enrollment__status__in=OPEN_STATUSES,
            status__in=PENDING_STEP_STATUSES,
            due_on__lt=timezone.localdate(),
        )
        .select_related("enrollment__person")
        .order_by("due_on", "id")
    )
    now = timezone.now()
    appointments = list(
        Appointment.objects.visible_to(request.user)
        .filter(
            organization=organization,
            counsellor=request.user,
            status=AppointmentStatus.PLANNED,
            starts_at__gte=now,
            starts_at__lte=now + datetime.timedelta(days=NEXT_DAYS),
        )
        .select_related("person", "desk")
        .order_by("starts_at", "id")
    )
    follow_ups = list(
        FollowUp.objects.visible_to(request.user)
        .pending()
        .filter(
            exit__enrollment__organization=organization,
            exit__enrollment__referent=request.user,
            due_on__lte=timezone.localdate() + datetime.timedelta(days=NEXT_DAYS),
        )
        .select_related("exit__enrollment__person")
        .order_by("due_on", "id")
    )
    return render(
        request,
        "support/caseload.html",
        {
            "enrollments": enrollments,
            "overdue": overdue,
            "appointments": appointments,
            "follow_ups": follow_ups,
        },
    )

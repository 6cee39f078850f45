import datetime

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ancrage.support.models import Enrollment
from ancrage.support.queries import coming_appointments, follow_ups_due, overdue_steps

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
    today = timezone.localdate()
    overdue = list(overdue_steps(request.user, organization))
    appointments = list(
        coming_appointments(
            request.user,
            organization,
            until=timezone.now() + datetime.timedelta(days=NEXT_DAYS),
        )
    )
    follow_ups = list(
        follow_ups_due(request.user, organization, until=today + datetime.timedelta(days=NEXT_DAYS))
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

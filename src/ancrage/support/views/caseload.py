from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ancrage.support.enums import OPEN_STATUSES, PENDING_STEP_STATUSES
from ancrage.support.models import Enrollment, Step


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
    return render(
        request, "support/caseload.html", {"enrollments": enrollments, "overdue": overdue}
    )

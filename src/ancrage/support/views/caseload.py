import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ancrage.core.listing import list_page
from ancrage.support import services
from ancrage.support.enums import StepStatus
from ancrage.support.forms import CaseloadFilterForm, StepsUpdateForm
from ancrage.support.models import Enrollment, Step
from ancrage.support.queries import (
    ENROLLMENT_COLUMNS,
    coming_appointments,
    follow_ups_due,
    overdue_steps,
)

NEXT_DAYS = 14
# What the list shows (and exports): reading a whole person and program per row cost a third of
# the page's database time.
CASELOAD_FIELDS = (
    "organization_id",
    "status",
    "requested_on",
    "person__first_name",
    "person__last_name",
    "person__anonymised_on",
    "program__name",
)

PERSON_NAME = ("first_name", "last_name", "anonymised_on")
OVERDUE_FIELDS = (
    "organization_id",
    "enrollment_id",
    "kind",
    "status",
    "due_on",
    *(f"enrollment__person__{name}" for name in PERSON_NAME),
)
APPOINTMENT_FIELDS = (
    "organization_id",
    "starts_at",
    "place",
    "desk__name",
    *(f"person__{name}" for name in PERSON_NAME),
)
FOLLOW_UP_FIELDS = (
    "kind",
    "due_on",
    "done_on",
    *(f"exit__enrollment__person__{name}" for name in PERSON_NAME),
)


@require_GET
def caseload(request):
    """The counsellor's desk: the people they follow in the current organization, and late steps."""
    organization = request.membership.organization
    filters = CaseloadFilterForm(request.GET or None)
    valid = not filters.is_bound or filters.is_valid()
    enrollments = (
        Enrollment.objects.visible_to(request.user)
        .open()
        .filter(organization=organization, referent=request.user)
        .select_related("person", "program")
        .only(*CASELOAD_FIELDS)
    )
    if filters.is_bound and valid and filters.cleaned_data["status"]:
        enrollments = enrollments.filter(status=filters.cleaned_data["status"])
    today = timezone.localdate()
    # The columns the page shows, not every column of three joined tables.
    overdue = list(overdue_steps(request.user, organization).only(*OVERDUE_FIELDS))
    appointments = list(
        coming_appointments(
            request.user,
            organization,
            until=timezone.now() + datetime.timedelta(days=NEXT_DAYS),
        ).only(*APPOINTMENT_FIELDS)
    )
    follow_ups = list(
        follow_ups_due(
            request.user, organization, until=today + datetime.timedelta(days=NEXT_DAYS)
        ).only(*FOLLOW_UP_FIELDS)
    )
    return list_page(
        request,
        "support/caseload.html",
        enrollments,
        ENROLLMENT_COLUMNS,
        default="personne",
        model=Enrollment,
        name="mes-accompagnements",
        title=_("Mes accompagnements"),
        valid=valid,
        context={
            "filters": filters,
            "overdue": overdue,
            "appointments": appointments,
            "follow_ups": follow_ups,
            "step_statuses": StepStatus.choices,
        },
    )


@require_POST
def steps_update(request):
    """The caseload's bulk action: the checked overdue steps move to one status together."""
    organization = request.membership.organization
    form = StepsUpdateForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("status", []):
            messages.error(request, str(message))
        return redirect("support:caseload")
    ids = [int(v) for v in request.POST.getlist("steps") if v.isdigit()]
    steps = list(
        Step.objects.visible_to(request.user)
        .filter(organization=organization, pk__in=ids)
        .select_related("enrollment__person")
    )
    try:
        services.set_steps_status(
            steps=steps, status=form.cleaned_data["status"], actor=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(count)d démarche(s) : %(status)s.")
            % {"count": len(steps), "status": StepStatus(form.cleaned_data["status"]).label},
        )
    return redirect("support:caseload")

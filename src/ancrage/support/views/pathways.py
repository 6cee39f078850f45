"""The typed pathway on the enrollment page: its type, the works of a home adaptation and the day
the home is adapted, the milestones of an insertion pathway. POST only; an invalid form re-renders
the enrollment page with its errors (400)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.support import services
from ancrage.support.forms import (
    HomeAdaptedForm,
    MilestoneForm,
    PathwayForm,
    WorkDoneForm,
    WorkPlanForm,
)
from ancrage.support.models import AdaptationWork, InsertionMilestone
from ancrage.support.queries import get_enrollment_for_user
from ancrage.support.views.enrollments import render_detail


def _submit(request, enrollment, form, key, write, success):
    """Validate ``form``, call ``write(data)``; on success a message and back to the page, else
    the page again with the form's errors."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, success)
            return redirect("support:enrollment_detail", enrollment.pk)
    return render_detail(request, enrollment, status=400, pathway_forms={key: form})


@require_POST
def pathway_set(request, enrollment_id):
    enrollment = get_enrollment_for_user(request.user, enrollment_id, write=True)
    return _submit(
        request,
        enrollment,
        PathwayForm(request.POST),
        "pathway",
        lambda data: services.set_pathway(
            enrollment=enrollment, pathway=data["pathway"], actor=request.user
        ),
        _("Type de parcours enregistré."),
    )


@require_POST
def work_add(request, enrollment_id):
    enrollment = get_enrollment_for_user(request.user, enrollment_id, write=True)
    return _submit(
        request,
        enrollment,
        WorkPlanForm(request.POST),
        "work",
        lambda data: services.plan_work(enrollment=enrollment, actor=request.user, **data),
        _("Travaux prévus enregistrés."),
    )


@require_POST
def work_done(request, enrollment_id, work_id):
    enrollment = get_enrollment_for_user(request.user, enrollment_id, write=True)
    work = get_object_or_404(AdaptationWork, pk=work_id, enrollment=enrollment)
    form = WorkDoneForm(request.POST, prefix=f"travaux-{work.pk}")
    return _submit(
        request,
        enrollment,
        form,
        f"done-{work.pk}",
        lambda data: services.record_work_done(work=work, actor=request.user, **data),
        _("Travaux réalisés : %(kind)s.") % {"kind": work.get_kind_display()},
    )


@require_POST
def home_adapted(request, enrollment_id):
    enrollment = get_enrollment_for_user(request.user, enrollment_id, write=True)
    return _submit(
        request,
        enrollment,
        HomeAdaptedForm(request.POST),
        "home",
        lambda data: services.record_home_adapted(
            enrollment=enrollment, on=data["home_adapted_on"], actor=request.user
        ),
        _("Date d'adaptation du logement enregistrée."),
    )


@require_POST
def milestone_add(request, enrollment_id):
    enrollment = get_enrollment_for_user(request.user, enrollment_id, write=True)
    return _submit(
        request,
        enrollment,
        MilestoneForm(request.POST),
        "milestone",
        lambda data: services.add_milestone(enrollment=enrollment, actor=request.user, **data),
        _("Étape du parcours d'insertion enregistrée."),
    )


@require_POST
def milestone_delete(request, enrollment_id, milestone_id):
    enrollment = get_enrollment_for_user(request.user, enrollment_id, write=True)
    milestone = get_object_or_404(InsertionMilestone, pk=milestone_id, enrollment=enrollment)
    services.delete_milestone(milestone=milestone, actor=request.user)
    messages.success(request, _("Étape retirée : %(step)s.") % {"step": milestone})
    return redirect("support:enrollment_detail", enrollment.pk)

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import can
from ancrage.core.signals import object_viewed
from ancrage.people.queries import get_person_for_user, monthly_resources_of
from ancrage.programs.queries import supporting_programs
from ancrage.support import services
from ancrage.support.enums import ADAPTATION_PATHWAYS, AssessmentKind, Pathway, StepStatus
from ancrage.support.forms import (
    AssessmentForm,
    EnrollmentOpenForm,
    FollowUpForm,
    HomeAdaptedForm,
    MilestoneForm,
    NoteForm,
    PathwayForm,
    StepForm,
    StepStatusForm,
    TransitionForm,
    WorkDoneForm,
    WorkPlanForm,
)
from ancrage.support.models import Enrollment, Exit, FollowUp, Note, Step
from ancrage.support.queries import get_enrollment_for_user, possible_referents


@require_http_methods(["GET", "POST"])
def enrollment_open(request, person_id):
    person = get_person_for_user(request.user, person_id, write=True)
    form = EnrollmentOpenForm(
        request.POST or None,
        referents=possible_referents(person.organization),
        programs=supporting_programs(person.organization, on=timezone.localdate()),
        initial={"referent": request.user.pk, "requested_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrollment = services.open_enrollment(
                person=person, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Demande d'accompagnement de %(person)s enregistrée.") % {"person": person},
            )
            return redirect("support:enrollment_detail", enrollment.pk)
    return render(request, "support/enrollment_open.html", {"person": person, "form": form})


def _actions(enrollment):
    return [
        name for name, (sources, _) in services.TRANSITIONS.items() if enrollment.status in sources
    ]


@require_GET
def enrollment_detail(request, enrollment_id):
    enrollment = get_enrollment_for_user(request.user, enrollment_id)
    object_viewed.send(
        sender=Enrollment,
        instance=enrollment,
        actor=request.user,
        organization=enrollment.organization,
    )
    return render_detail(request, enrollment)


def render_detail(
    request,
    enrollment,
    *,
    status=200,
    transition_form=None,
    step_form=None,
    note_form=None,
    follow_up_form=None,
    follow_up_id=None,
    pathway_forms=None,
):
    """The enrollment page; the POST views re-render it with their invalid form and a 400."""
    can_write = can(request.user, "support.record", enrollment)
    pathway = _pathway_context(enrollment, can_write, pathway_forms or {})
    actions = _actions(enrollment) if can_write else []
    if transition_form is None and actions:
        transition_form = TransitionForm(actions=actions)
    exit_ = Exit.objects.filter(enrollment=enrollment).first()
    follow_ups = list(FollowUp.objects.filter(exit=exit_).select_related("recorded_by"))
    for follow_up in follow_ups:
        if can_write and follow_up.is_open:
            bound = follow_up_form if follow_up.pk == follow_up_id else None
            follow_up.form = bound or FollowUpForm(prefix=f"suivi-{follow_up.pk}")
    return render(
        request,
        "support/enrollment_detail.html",
        {
            "enrollment": enrollment,
            "events": list(enrollment.events.select_related("actor")),
            "exit": exit_,
            "follow_ups": follow_ups,
            "form": transition_form,
            "assessments": list(enrollment.assessments.select_related("assessor", "joint_with")),
            "notes": list(
                Note.objects.readable_by(request.user, enrollment).select_related("author")
            ),
            "note_form": (note_form or NoteForm()) if can_write else None,
            "steps": list(enrollment.steps.all()),
            "step_form": (step_form or StepForm()) if can_write and enrollment.is_open else None,
            "status_choices": StepStatus.choices if can_write else None,
            **pathway,
        },
        status=status,
    )


def _pathway_context(enrollment, can_write, bound):
    """Works (each not yet done with its form) and milestones of a typed pathway, and the forms
    of the pathway's sections for a writer (a bound one when it came back invalid)."""
    adaptation = enrollment.pathway in ADAPTATION_PATHWAYS
    works = list(enrollment.works.all()) if adaptation else []
    milestones = (
        list(enrollment.milestones.all()) if enrollment.pathway == Pathway.INSERTION else []
    )
    context = {"works": works, "milestones": milestones, "adaptation": adaptation}
    if not can_write:
        return context
    for work in works:
        if not work.is_done:
            work.form = bound.get(f"done-{work.pk}") or WorkDoneForm(prefix=f"travaux-{work.pk}")
    context.update(
        pathway_form=bound.get("pathway") or PathwayForm(initial={"pathway": enrollment.pathway}),
        work_form=(bound.get("work") or WorkPlanForm())
        if adaptation and enrollment.is_open
        else None,
        home_form=bound.get("home")
        or (
            HomeAdaptedForm(initial={"home_adapted_on": enrollment.home_adapted_on})
            if adaptation and any(work.is_done for work in works)
            else None
        ),
        milestone_form=(bound.get("milestone") or MilestoneForm())
        if enrollment.pathway == Pathway.INSERTION
        else None,
    )
    return context


@require_POST
def step_add(request, enrollment_id):
    enrollment = get_enrollment_for_user(request.user, enrollment_id, write=True)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            step = services.add_step(enrollment=enrollment, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Démarche ajoutée : %(kind)s.") % {"kind": step.get_kind_display()}
            )
            return redirect("support:enrollment_detail", enrollment.pk)
    return render_detail(request, enrollment, status=400, step_form=form)


@require_POST
def step_status(request, enrollment_id, step_id):
    enrollment = get_enrollment_for_user(request.user, enrollment_id, write=True)
    step = get_object_or_404(Step, pk=step_id, enrollment=enrollment)
    form = StepStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("État inconnu : choisissez un état dans la liste."))
    else:
        try:
            services.set_step_status(
                step=step, status=form.cleaned_data["status"], actor=request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(kind)s : %(status)s.")
                % {"kind": step.get_kind_display(), "status": step.get_status_display()},
            )
    return redirect("support:enrollment_detail", enrollment.pk)


@require_POST
def enrollment_transition(request, enrollment_id):
    enrollment = get_enrollment_for_user(request.user, enrollment_id, write=True)
    form = TransitionForm(request.POST, actions=_actions(enrollment))
    if form.is_valid():
        data = form.cleaned_data
        action, on, note = data["action"], data["on"], data["note"]
        try:
            if action == "start_assessment":
                services.start_assessment(enrollment=enrollment, on=on, actor=request.user)
            elif action == "start_support":
                services.start_support(enrollment=enrollment, on=on, actor=request.user)
            elif action == "refuse":
                services.refuse_enrollment(
                    enrollment=enrollment, on=on, reason=note, actor=request.user
                )
            elif action == "abandon":
                services.abandon_enrollment(
                    enrollment=enrollment, on=on, note=note, actor=request.user
                )
            else:
                services.close_enrollment(
                    enrollment=enrollment,
                    outcome=data["outcome"],
                    on=on,
                    note=note,
                    ready_for_housing=data["ready_for_housing"],
                    actor=request.user,
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            enrollment.refresh_from_db()
            messages.success(
                request,
                _("Étape enregistrée : %(status)s.") % {"status": enrollment.get_status_display()},
            )
            return redirect("support:enrollment_detail", enrollment.pk)
    return render_detail(request, enrollment, status=400, transition_form=form)


@require_POST
def note_add(request, enrollment_id):
    enrollment = get_enrollment_for_user(request.user, enrollment_id, write=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(enrollment=enrollment, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Note enregistrée."))
            return redirect("support:enrollment_detail", enrollment.pk)
    return render_detail(request, enrollment, status=400, note_form=form)


@require_http_methods(["GET", "POST"])
def assessment_add(request, enrollment_id):
    enrollment = get_enrollment_for_user(request.user, enrollment_id, write=True)
    referral = getattr(enrollment, "referral", None)
    initial = {"joint_with": referral.sender_id} if referral and referral.joint_assessment else {}
    form = AssessmentForm(
        request.POST or None,
        organization=enrollment.organization,
        pathway=enrollment.pathway,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_assessment(
                enrollment=enrollment,
                assessed_on=data["assessed_on"],
                priorities=form.priorities(),
                health_needs=data["health_needs"],
                housing_cost=data["housing_cost"],
                fixed_charges=data["fixed_charges"],
                joint_with=data["joint_with"],
                kind=data.get("kind") or AssessmentKind.NEEDS,
                home_works=data.get("home_works") or (),
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Diagnostic enregistré."))
            return redirect("support:enrollment_detail", enrollment.pk)
    return render(
        request,
        "support/assessment_form.html",
        {
            "enrollment": enrollment,
            "form": form,
            "resources": monthly_resources_of(enrollment.person),
        },
    )

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import can
from ancrage.activities import services
from ancrage.activities.forms import ActivityForm, AttendanceForm, HeadCountForm, SessionForm
from ancrage.activities.models import Activity, Attendance, Registration
from ancrage.activities.queries import (
    activities_with_figures,
    get_activity_for_user,
    get_session_for_user,
    regulars_of,
    with_participants,
)
from ancrage.core.forms import add_service_errors
from ancrage.core.signals import list_read
from ancrage.people.models import Person
from ancrage.people.queries import people_visible_to


@require_GET
def activity_list(request):
    organization = request.membership.organization
    activities = list(
        activities_with_figures(
            Activity.objects.visible_to(request.user).filter(organization=organization)
        ).order_by("-is_active", "title", "id")
    )
    return render(request, "activities/activity_list.html", {"activities": activities})


@require_http_methods(["GET", "POST"])
def activity_create(request):
    organization = request.membership.organization
    form = ActivityForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.create_activity(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Action collective créée : %(activity)s.") % {"activity": activity}
            )
            return redirect("activities:activity_detail", activity.pk)
    return render(request, "activities/activity_form.html", {"form": form})


def _render_activity(request, activity, *, session_form=None, status=200):
    can_write = can(request.user, "activities.manage", activity)
    sessions = list(
        with_participants(activity.sessions.select_related("desk")).order_by("-starts_at", "-id")
    )
    if can_write and session_form is None:
        session_form = SessionForm(organization=activity.organization)
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "sessions": sessions,
            "participants": sum(s.named_count + s.anonymous_count for s in sessions),
            "session_form": session_form if can_write else None,
        },
        status=status,
    )


@require_GET
def activity_detail(request, activity_id):
    return _render_activity(request, get_activity_for_user(request.user, activity_id))


@require_POST
def session_add(request, activity_id):
    activity = get_activity_for_user(request.user, activity_id, write=True)
    form = SessionForm(request.POST, organization=activity.organization)
    if form.is_valid():
        try:
            session = services.schedule_session(
                activity=activity, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Séance ajoutée : %(session)s.") % {"session": session})
            return redirect("activities:session_detail", session.pk)
    return _render_activity(request, activity, session_form=form, status=400)


def _render_session(
    request, session, *, attendance_form=None, count_form=None, register_form=None, status=200
):
    can_write = can(request.user, "activities.manage", session)
    attendances = list(session.attendances.select_related("person"))
    registrations = list(
        session.registrations.select_related("person").order_by("created_at", "id")
    )
    list_read(
        model=Person,
        records=[r.person for r in registrations] + [a.person for a in attendances],
        actor=request.user,
    )
    if can_write:
        attendance_form = attendance_form or AttendanceForm(
            user=request.user, organization=session.activity.organization
        )
        register_form = register_form or AttendanceForm(
            user=request.user, organization=session.activity.organization, registering=True
        )
        count_form = count_form or HeadCountForm(
            initial={"anonymous_count": session.anonymous_count}
        )
    return render(
        request,
        "activities/session_detail.html",
        {
            "session": session,
            "activity": session.activity,
            "attendances": attendances,
            "regulars": regulars_of(session, request.user) if can_write else [],
            "total": len(attendances) + session.anonymous_count,
            "can_write": can_write,
            "attendance_form": attendance_form if can_write else None,
            "registrations": registrations,
            "capacity": session.space_booking.space.capacity if session.space_booking else None,
            "register_form": register_form if can_write and not session.has_started else None,
            "can_cancel": can_write and not attendances and not session.anonymous_count,
            "count_form": count_form if can_write else None,
        },
        status=status,
    )


@require_GET
def session_detail(request, session_id):
    return _render_session(request, get_session_for_user(request.user, session_id))


@require_POST
def attendance_add(request, session_id):
    session = get_session_for_user(request.user, session_id, write=True)
    form = AttendanceForm(
        request.POST, user=request.user, organization=session.activity.organization
    )
    if form.is_valid():
        try:
            attendance = services.record_attendance(
                session=session, person=form.cleaned_data["person"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("%(person)s est notée présente.") % {"person": attendance.person}
            )
            return redirect("activities:session_detail", session.pk)
    return _render_session(request, session, attendance_form=form, status=400)


@require_POST
def attendances_add(request, session_id):
    """The regulars ticked on the session's page, noted present together."""
    session = get_session_for_user(request.user, session_id, write=True)
    ids = [int(v) for v in request.POST.getlist("persons") if v.isdigit()]
    people = list(
        people_visible_to(request.user).filter(organization_id=session.organization_id, pk__in=ids)
    )
    try:
        created = services.record_attendances(session=session, people=people, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("%(count)d personne(s) notée(s) présente(s).") % {"count": len(created)}
        )
    return redirect("activities:session_detail", session.pk)


@require_POST
def attendance_remove(request, session_id, attendance_id):
    session = get_session_for_user(request.user, session_id, write=True)
    attendance = get_object_or_404(
        Attendance.objects.select_related("person", "session"), pk=attendance_id, session=session
    )
    services.remove_attendance(attendance=attendance, actor=request.user)
    messages.success(request, _("Présence de %(person)s retirée.") % {"person": attendance.person})
    return redirect("activities:session_detail", session.pk)


@require_POST
def session_head_count(request, session_id):
    session = get_session_for_user(request.user, session_id, write=True)
    form = HeadCountForm(request.POST)
    if form.is_valid():
        try:
            services.set_anonymous_count(
                session=session, count=form.cleaned_data["anonymous_count"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Nombre de participant·es non nommé·es enregistré."))
            return redirect("activities:session_detail", session.pk)
    return _render_session(request, session, count_form=form, status=400)


@require_POST
def registration_add(request, session_id):
    session = get_session_for_user(request.user, session_id, write=True)
    form = AttendanceForm(
        request.POST,
        user=request.user,
        organization=session.activity.organization,
        registering=True,
    )
    if form.is_valid():
        try:
            registration = services.register(
                session=session, person=form.cleaned_data["person"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(person)s est inscrite.") % {"person": registration.person}
            )
            return redirect("activities:session_detail", session.pk)
    return _render_session(request, session, register_form=form, status=400)


@require_POST
def registration_remove(request, session_id, registration_id):
    session = get_session_for_user(request.user, session_id, write=True)
    registration = get_object_or_404(
        Registration.objects.select_related("person", "session"),
        pk=registration_id,
        session=session,
    )
    services.unregister(registration=registration, actor=request.user)
    messages.success(
        request, _("Inscription de %(person)s retirée.") % {"person": registration.person}
    )
    return redirect("activities:session_detail", session.pk)


@require_POST
def session_cancel(request, session_id):
    session = get_session_for_user(request.user, session_id, write=True)
    activity_id = session.activity_id
    try:
        services.cancel_session(session=session, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("activities:session_detail", session.pk)
    messages.success(request, _("Séance supprimée : %(session)s.") % {"session": session})
    return redirect("activities:activity_detail", activity_id)

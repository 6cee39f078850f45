"""Pages of a program's committees: the list, a committee (members, meetings, decisions to
follow), a meeting (agenda, attendance, minutes, decisions; the annual evaluation opens the
year's report and the program's figures)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import can, get_for_user
from ancrage.core.forms import add_service_errors
from ancrage.partnerships.forms import (
    CommitteeForm,
    DecisionForm,
    DoneForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
)
from ancrage.partnerships.models import Decision, MeetingKind
from ancrage.partnerships.queries import (
    committees_visible_to,
    get_committee_for_user,
    get_decision_for_user,
    get_meeting_for_user,
)
from ancrage.partnerships.services import committees as services
from ancrage.programs.queries import programs_of


@require_GET
def committee_list(request):
    organization = request.membership.organization
    return render(
        request,
        "partnerships/committee_list.html",
        {
            "committees": list(
                committees_visible_to(request.user).order_by("program__name", "name")
            ),
            "can_create": can(request.user, "partnerships.committees", organization),
        },
    )


@require_http_methods(["GET", "POST"])
def committee_create(request):
    organization = request.membership.organization
    programs = programs_of(organization)
    only = list(programs[:2])
    form = CommitteeForm(
        request.POST or None,
        programs=programs,
        initial={"program": only[0].pk} if len(only) == 1 else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.create_committee(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Comité créé : ajoutez ses membres."))
            return redirect("committees:committee_detail", committee.pk)
    return render(
        request,
        "partnerships/committee_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _committee_page(request, committee, *, member_form=None, meeting_form=None, status=200):
    manage = can(request.user, "partnerships.committees", committee)
    members = list(committee.members.select_related("user").order_by("left_on", "id"))
    return render(
        request,
        "partnerships/committee_detail.html",
        {
            "committee": committee,
            "members": members,
            "meetings": list(committee.meetings.all()),
            "open_decisions": list(
                Decision.objects.filter(meeting__committee=committee, done_on__isnull=True)
                .select_related("owner__user", "meeting")
                .order_by("due_on", "id")
            ),
            "manage": manage,
            "today": timezone.localdate(),
            "member_form": member_form or (MemberForm(committee=committee) if manage else None),
            "meeting_form": meeting_form or (MeetingForm() if manage else None),
        },
        status=status,
    )


@require_GET
def committee_detail(request, committee_id):
    return _committee_page(request, get_committee_for_user(request.user, committee_id))


@require_POST
def member_add(request, committee_id):
    committee = get_committee_for_user(request.user, committee_id, manage=True)
    form = MemberForm(request.POST, committee=committee)
    if form.is_valid():
        try:
            services.add_member(committee=committee, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Membre ajouté."))
            return redirect("committees:committee_detail", committee.pk)
    return _committee_page(request, committee, member_form=form, status=400)


@require_POST
def member_leave(request, committee_id, member_id):
    committee = get_committee_for_user(request.user, committee_id, manage=True)
    member = get_for_user(committee.members.all(), member_id, request.user)
    form = DoneForm({"done_on": request.POST.get("left_on", "")})
    left_on = form.cleaned_data.get("done_on") if form.is_valid() else None
    try:
        if not form.is_valid():
            raise ValidationError(_("Indiquez une date valide."))
        services.end_membership(member=member, left_on=left_on, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Départ enregistré.") if left_on else _("Membre de nouveau en fonction.")
        )
    return redirect("committees:committee_detail", committee.pk)


@require_POST
def meeting_create(request, committee_id):
    committee = get_committee_for_user(request.user, committee_id, manage=True)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.create_meeting(
                committee=committee, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Réunion créée."))
            return redirect("committees:meeting_detail", meeting.pk)
    return _committee_page(request, committee, meeting_form=form, status=400)


def _meeting_page(request, meeting, *, minutes_form=None, decision_form=None, status=200):
    committee = meeting.committee
    manage = can(request.user, "partnerships.committees", committee)
    decisions = list(meeting.decisions.select_related("owner__user"))
    report = None
    if meeting.kind == MeetingKind.ANNUAL_EVALUATION and meeting.evaluated_year:
        report = {
            "year": meeting.evaluated_year,
            "organization": committee.organization,
            "can_open": can(request.user, "team.read", committee.organization)
            or can(request.user, "programs.follow", committee.organization),
        }
    return render(
        request,
        "partnerships/meeting_detail.html",
        {
            "meeting": meeting,
            "committee": committee,
            "present": list(meeting.present.select_related("user")),
            "decisions": [(d, services.may_close(request.user, d)) for d in decisions],
            "manage": manage,
            "today": timezone.localdate(),
            "report": report,
            "minutes_form": minutes_form
            or (
                MinutesForm(
                    committee=committee,
                    initial={
                        "agenda": meeting.agenda,
                        "minutes": meeting.minutes,
                        "present": list(meeting.present.all()),
                    },
                )
                if manage
                else None
            ),
            "decision_form": decision_form
            or (DecisionForm(committee=committee) if manage else None),
        },
        status=status,
    )


@require_GET
def meeting_detail(request, meeting_id):
    return _meeting_page(request, get_meeting_for_user(request.user, meeting_id))


@require_POST
def meeting_update(request, meeting_id):
    meeting = get_meeting_for_user(request.user, meeting_id, manage=True)
    form = MinutesForm(request.POST, committee=meeting.committee)
    if form.is_valid():
        try:
            services.record_minutes(
                meeting=meeting,
                actor=request.user,
                minutes=form.cleaned_data["minutes"],
                agenda=form.cleaned_data["agenda"],
                present=list(form.cleaned_data["present"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Compte rendu enregistré."))
            return redirect("committees:meeting_detail", meeting.pk)
    return _meeting_page(request, meeting, minutes_form=form, status=400)


@require_POST
def decision_add(request, meeting_id):
    meeting = get_meeting_for_user(request.user, meeting_id, manage=True)
    form = DecisionForm(request.POST, committee=meeting.committee)
    if form.is_valid():
        try:
            services.add_decision(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Décision enregistrée."))
            return redirect("committees:meeting_detail", meeting.pk)
    return _meeting_page(request, meeting, decision_form=form, status=400)


@require_POST
def decision_done(request, decision_id):
    decision = get_decision_for_user(request.user, decision_id)
    form = DoneForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Indiquez une date valide."))
        services.set_decision_done(
            decision=decision, done_on=form.cleaned_data["done_on"], actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Décision faite.") if decision.done_on else _("Décision de nouveau à faire."),
        )
    target = request.POST.get("next", "")
    if target == "home":
        return redirect("core:home")
    return redirect("committees:meeting_detail", decision.meeting_id)

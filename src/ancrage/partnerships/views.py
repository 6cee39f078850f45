from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import can, require
from ancrage.core.forms import add_service_errors
from ancrage.core.signals import list_read, object_viewed
from ancrage.housing.enums import RhythmTemplate
from ancrage.housing.forms import RhythmForm
from ancrage.housing.models import SchoolCalendar
from ancrage.partnerships import services
from ancrage.partnerships.forms import ApprenticeshipForm
from ancrage.partnerships.models import Apprenticeship
from ancrage.partnerships.queries import (
    apprenticeships_of,
    charters_of,
    get_apprenticeship_for_user,
)


@require_GET
def apprenticeship_list(request):
    """The current organization's apprenticeship contracts (of one person: ``?personne=``)."""
    organization = request.membership.organization
    raw = request.GET.get("personne", "")
    person_id = int(raw) if raw.isdigit() and len(raw) < 19 else None
    rows = list(apprenticeships_of(organization, person_id=person_id)[:500])
    list_read(model=Apprenticeship, records=rows, actor=request.user)
    return render(
        request,
        "partnerships/apprenticeship_list.html",
        {
            "apprenticeships": rows,
            "person_id": person_id,
            "can_change": can(request.user, "people.change", organization),
        },
    )


@require_http_methods(["GET", "POST"])
def apprenticeship_create(request):
    organization = request.membership.organization
    require(request.user, "people.change", organization)
    form = ApprenticeshipForm(request.POST or None, user=request.user, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            apprenticeship = services.create_apprenticeship(
                person=form.cleaned_data["person"],
                actor=request.user,
                **form.fields_for_service(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contrat d'apprentissage enregistré."))
            return redirect("partnerships:apprenticeship_detail", apprenticeship.pk)
    return render(
        request,
        "partnerships/apprenticeship_form.html",
        {"form": form, "apprenticeship": None},
        status=400 if form.errors else 200,
    )


@require_GET
def apprenticeship_detail(request, apprenticeship_id):
    apprenticeship = get_apprenticeship_for_user(request.user, apprenticeship_id)
    object_viewed.send(
        sender=Apprenticeship,
        instance=apprenticeship,
        actor=request.user,
        organization=apprenticeship.organization,
    )
    return render(
        request,
        "partnerships/apprenticeship_detail.html",
        {
            "apprenticeship": apprenticeship,
            "can_change": can(request.user, "people.change", apprenticeship),
            "can_make_rhythm": can(request.user, "people.change", apprenticeship)
            and can(request.user, "housing.manage", apprenticeship.organization),
            "charters": charters_of(apprenticeship),
        },
    )


@require_http_methods(["GET", "POST"])
def apprenticeship_update(request, apprenticeship_id):
    apprenticeship = get_apprenticeship_for_user(request.user, apprenticeship_id, write=True)
    initial = {
        "school": apprenticeship.school,
        "employer": apprenticeship.employer,
        "diploma": apprenticeship.diploma,
        "starts_on": apprenticeship.starts_on,
        "ends_on": apprenticeship.ends_on,
        "rhythm": apprenticeship.rhythm_id,
    }
    form = ApprenticeshipForm(
        request.POST or None,
        user=request.user,
        organization=apprenticeship.organization,
        person=apprenticeship.person,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_apprenticeship(
                apprenticeship=apprenticeship, actor=request.user, **form.fields_for_service()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contrat d'apprentissage modifié."))
            return redirect("partnerships:apprenticeship_detail", apprenticeship.pk)
    return render(
        request,
        "partnerships/apprenticeship_form.html",
        {"form": form, "apprenticeship": apprenticeship},
        status=400 if form.errors else 200,
    )


@require_POST
def apprenticeship_delete(request, apprenticeship_id):
    apprenticeship = get_apprenticeship_for_user(request.user, apprenticeship_id, write=True)
    try:
        services.delete_apprenticeship(apprenticeship=apprenticeship, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("partnerships:apprenticeship_detail", apprenticeship.pk)
    messages.success(request, _("Contrat d'apprentissage supprimé."))
    return redirect("partnerships:apprenticeship_list")


@require_http_methods(["GET", "POST"])
def apprenticeship_rhythm(request, apprenticeship_id):
    """The apprentice's rhythm, made from the contract: the school's calendars first, the
    contract's end and diploma filled in; the rhythm is tied to the contract."""
    apprenticeship = get_apprenticeship_for_user(request.user, apprenticeship_id, write=True)
    require(request.user, "housing.manage", apprenticeship.organization)
    calendars = list(
        SchoolCalendar.objects.filter(organization=apprenticeship.organization).select_related(
            "school"
        )
    )
    own = [c for c in calendars if c.school_id == apprenticeship.school_id]
    initial = {
        "name": f"{apprenticeship.diploma} {apprenticeship.starts_on:%Y}-{apprenticeship.ends_on:%Y}",
        "first_school_week": apprenticeship.starts_on,
        "ends_on": apprenticeship.ends_on,
    }
    if own:
        initial["template"] = RhythmTemplate.CALENDAR
        if len(own) == 1:
            initial["calendar"] = own[0].pk
    form = RhythmForm(
        request.POST or None,
        user=request.user,
        organization=apprenticeship.organization,
        calendars=SchoolCalendar.objects.filter(pk__in=[c.pk for c in calendars]),
        person=apprenticeship.person,
        school=apprenticeship.school,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_rhythm_for_apprenticeship(
                apprenticeship=apprenticeship,
                actor=request.user,
                name=data["name"],
                template=data["template"],
                first_school_week=data["first_school_week"],
                ends_on=data["ends_on"],
                custom_weeks=data["custom_weeks"],
                calendar=data["calendar"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Rythme d'alternance enregistré sur le contrat."))
            return redirect("partnerships:apprenticeship_detail", apprenticeship.pk)
    return render(
        request,
        "partnerships/apprenticeship_rhythm.html",
        {"form": form, "apprenticeship": apprenticeship, "school_calendars": own},
        status=400 if form.errors else 200,
    )

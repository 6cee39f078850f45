"""Common spaces of a residence: the week's calendar of a space, its slots booked and cancelled."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ancrage.accounts.permissions import can
from ancrage.core.forms import add_service_errors
from ancrage.core.signals import list_read
from ancrage.housing import services
from ancrage.housing.forms import SpaceBookingForm, SpaceForm
from ancrage.housing.models import CommonSpace, monday_of
from ancrage.housing.queries import (
    get_residence_for_user,
    get_space_booking_for_user,
    space_bookings_between,
)
from ancrage.housing.views.residences import render_residence
from ancrage.people.models import Person

WEEK = datetime.timedelta(days=7)


def _monday(request) -> datetime.date:
    """The Monday of the week asked for (« ?semaine=aaaa-mm-jj »), else of this week."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("semaine", ""))
    except ValueError:
        day = timezone.localdate()
    if not datetime.date(2000, 1, 3) <= day <= datetime.date(2099, 12, 28):
        day = timezone.localdate()
    return monday_of(day)


def _space(request, residence_id, space_id, *, write=False):
    residence = get_residence_for_user(request.user, residence_id, write=write)
    return get_object_or_404(CommonSpace, pk=space_id, residence=residence)


def _week_url(space, monday) -> str:
    url = reverse("housing:space_detail", args=[space.residence_id, space.pk])
    return f"{url}?semaine={monday.isoformat()}"


def _render_space(request, space, *, monday, booking_form=None, edit_form=None, status=200):
    can_write = can(request.user, "housing.manage", space)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(monday, datetime.time(), tzinfo=zone)
    bookings = list(space_bookings_between([space], start, start + WEEK))
    list_read(
        model=Person,
        records=[booking.person for booking in bookings if booking.person_id],
        actor=request.user,
    )
    days = []
    for offset in range(7):
        day = monday + datetime.timedelta(days=offset)
        days.append(
            {
                "day": day,
                "bookings": [
                    b
                    for b in bookings
                    if timezone.localtime(b.starts_at).date()
                    <= day
                    <= timezone.localtime(b.ends_at - datetime.timedelta(microseconds=1)).date()
                ],
            }
        )
    if can_write and booking_form is None:
        booking_form = SpaceBookingForm(
            user=request.user,
            organization=space.residence.organization,
            initial={"day": max(monday, timezone.localdate())},
        )
    if can_write and edit_form is None:
        edit_form = SpaceForm(
            editing=True,
            prefix="space",
            initial={
                "name": space.name,
                "capacity": space.capacity,
                "bookable": space.bookable,
                "is_active": space.is_active,
            },
        )
    return render(
        request,
        "housing/space_detail.html",
        {
            "space": space,
            "residence": space.residence,
            "monday": monday,
            "sunday": monday + datetime.timedelta(days=6),
            "previous_week": _week_url(space, monday - WEEK),
            "next_week": _week_url(space, monday + WEEK),
            "this_week": _week_url(space, monday_of(timezone.localdate())),
            "days": days,
            "booking_count": len(bookings),
            "can_write": can_write,
            "booking_form": booking_form if can_write and space.bookable else None,
            "edit_form": edit_form if can_write else None,
        },
        status=status,
    )


@require_GET
def space_detail(request, residence_id, space_id):
    return _render_space(request, _space(request, residence_id, space_id), monday=_monday(request))


@require_POST
def space_add(request, residence_id):
    residence = get_residence_for_user(request.user, residence_id, write=True)
    form = SpaceForm(request.POST, prefix="space")
    if form.is_valid():
        try:
            space = services.add_space(residence=residence, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Espace ajouté : %(space)s.") % {"space": space})
            return redirect("housing:space_detail", residence.pk, space.pk)
    return render_residence(request, residence, space_form=form, status=400)


@require_POST
def space_edit(request, residence_id, space_id):
    space = _space(request, residence_id, space_id, write=True)
    form = SpaceForm(request.POST, editing=True, prefix="space")
    if form.is_valid():
        try:
            services.update_space(space=space, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Espace enregistré."))
            return redirect("housing:space_detail", residence_id, space.pk)
    space.refresh_from_db()
    return _render_space(request, space, monday=_monday(request), edit_form=form, status=400)


@require_POST
def space_book(request, residence_id, space_id):
    space = _space(request, residence_id, space_id, write=True)
    form = SpaceBookingForm(
        request.POST, user=request.user, organization=space.residence.organization
    )
    monday = _monday(request)
    if form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.book_space(
                space=space,
                actor=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                purpose=data["purpose"],
                person=data["person"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            monday = monday_of(data["day"])
        else:
            messages.success(request, _("Créneau réservé : %(slot)s.") % {"slot": booking})
            return HttpResponseRedirect(
                _week_url(space, monday_of(timezone.localtime(booking.starts_at).date()))
            )
    elif form.cleaned_data.get("day"):
        monday = monday_of(form.cleaned_data["day"])
    return _render_space(request, space, monday=monday, booking_form=form, status=400)


@require_POST
def space_booking_cancel(request, booking_id):
    booking = get_space_booking_for_user(request.user, booking_id, write=True)
    try:
        services.cancel_space_booking(booking=booking, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Créneau annulé : %(slot)s.") % {"slot": booking})
    monday = monday_of(timezone.localtime(booking.starts_at).date())
    return HttpResponseRedirect(_week_url(booking.space, monday))

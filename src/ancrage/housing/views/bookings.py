import contextlib
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import can
from ancrage.core import person_facts
from ancrage.housing import services
from ancrage.housing.forms import BookingForm, RhythmForm, SchoolCalendarForm
from ancrage.housing.models import Rhythm, SchoolCalendar, iso_week_label, monday_of
from ancrage.housing.queries import (
    beds_of,
    busy_beds,
    get_booking_for_user,
    get_residence_for_user,
    rhythms_of,
)
from ancrage.housing.views.applications import prefill_from_application


def _after_last_week(day: datetime.date) -> datetime.date:
    return monday_of(day) + datetime.timedelta(weeks=1)


@require_http_methods(["GET", "POST"])
def booking_create(request, residence_id):
    residence = get_residence_for_user(request.user, residence_id, write=True)
    organization = residence.organization
    if organization.pk != request.membership.organization_id:
        # People and their rhythms are picked within the current organization.
        messages.warning(
            request,
            _(
                "%(residence)s est gérée par %(organization)s : choisissez cette structure dans « Vous travaillez pour » pour y réserver."
            )
            % {"residence": residence, "organization": organization},
        )
        return redirect("housing:residence_detail", residence.pk)
    initial = {}
    if request.GET.get("lit"):
        initial["bed"] = request.GET["lit"]
    if request.GET.get("du"):
        # A free cell of the occupancy grid: that week (a mistyped address opens the form as usual).
        with contextlib.suppress(ValueError):
            initial["starts_on"] = datetime.date.fromisoformat(request.GET["du"])
    application = prefill_from_application(request, residence)
    if application is not None:
        initial.update(
            person=application.person_label,
            starts_on=application.wished_from,
            ends_on=application.wished_until,
            rhythm=application.rhythm_id,
            mode="rhythm"
            if application.rhythm_id
            else {"weeks": "weeks", "months": "months"}.get(application.granularity, "open"),
        )
    beds = beds_of(residence).filter(unit__status="available")
    day = initial.get("starts_on") or timezone.localdate()
    form = BookingForm(
        request.POST or None,
        user=request.user,
        organization=organization,
        beds=beds,
        rhythms=rhythms_of(organization),
        initial=initial,
        busy=(busy_beds(beds, day), day),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answered = (
            application
            if application is not None and application.person_id == data["person"].pk
            else None
        )
        common = {
            "person": data["person"],
            "bed": data["bed"],
            "actor": request.user,
            "application": answered,
        }
        try:
            if data["mode"] == "rhythm":
                booking = services.book_rhythm(
                    rhythm=data["rhythm"],
                    start=data["starts_on"],
                    end=_after_last_week(data["ends_on"]),
                    **common,
                )
            elif data["mode"] == "weeks":
                first, stop = monday_of(data["starts_on"]), _after_last_week(data["ends_on"])
                weeks = [
                    first + datetime.timedelta(weeks=i) for i in range((stop - first).days // 7)
                ]
                booking = services.book_weeks(weeks=weeks, note=data["note"], **common)
            elif data["mode"] == "months":
                booking = services.book_months(
                    first_month=data["starts_on"],
                    months=data["months"],
                    note=data["note"],
                    **common,
                )
            else:
                booking = services.book_open_ended(
                    starts_on=data["starts_on"], note=data["note"], **common
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Réservation enregistrée pour %(person)s.") % {"person": booking.person}
            )
            return redirect(
                reverse("housing:occupancy", args=[residence.pk])
                + f"?semaine={booking.starts_on.isoformat()}"
            )
    return render(
        request,
        "housing/booking_form.html",
        {"residence": residence, "form": form, "application": application},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def booking_detail(request, booking_id):
    booking = get_booking_for_user(request.user, booking_id)
    periods = list(booking.periods.order_by("starts_on"))
    weeks = sum(((p.ends_on - p.starts_on).days // 7 for p in periods if p.ends_on), start=0)
    return render(
        request,
        "housing/booking_detail.html",
        {
            "booking": booking,
            "periods": periods,
            "weeks": weeks,
            "can_write": can(request.user, "housing.manage", booking),
            "first_week": iso_week_label(booking.starts_on),
            "facts": person_facts.facts_for([booking.person_id], booking.starts_on).get(
                booking.person_id, []
            ),
        },
    )


@require_POST
def booking_cancel(request, booking_id):
    booking = get_booking_for_user(request.user, booking_id, write=True)
    try:
        if request.POST.get("action") == "restore":
            services.restore_booking(booking=booking, actor=request.user)
            messages.success(request, _("Réservation rétablie."))
        else:
            services.cancel_booking(booking=booking, actor=request.user)
            messages.success(
                request, _("Réservation annulée : le logement est libre pour ces dates.")
            )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("housing:booking_detail", booking.pk)


@require_GET
def rhythm_list(request):
    organization = request.membership.organization
    rhythms = list(rhythms_of(organization).filter(pk__in=Rhythm.objects.visible_to(request.user)))
    return render(request, "housing/rhythm_list.html", {"rhythms": rhythms})


@require_http_methods(["GET", "POST"])
def rhythm_create(request):
    organization = request.membership.organization
    form = RhythmForm(
        request.POST or None,
        user=request.user,
        organization=organization,
        calendars=SchoolCalendar.objects.filter(organization=organization),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rhythm = services.create_rhythm(
                person=data["person"],
                name=data["name"],
                template=data["template"],
                first_school_week=data["first_school_week"],
                ends_on=data["ends_on"],
                custom_weeks=data["custom_weeks"],
                calendar=data["calendar"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Rythme enregistré : %(school_weeks_count)s semaines à l'école pour %(person)s.")
                % {"school_weeks_count": len(rhythm.school_weeks()), "person": rhythm.person},
            )
            return redirect("housing:rhythm_list")
    return render(request, "housing/rhythm_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def calendar_list(request):
    """School calendars: import one from CSV or iCal, see the weeks of each."""
    organization = request.membership.organization
    can_write = can(request.user, "housing.manage", organization)
    form = SchoolCalendarForm(request.POST or None, request.FILES or None) if can_write else None
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                calendar = services.import_school_calendar(
                    organization=organization,
                    name=form.cleaned_data["name"],
                    school=form.cleaned_data["school"],
                    filename=upload.name,
                    content=upload.read(),
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Calendrier « %(calendar)s » importé : %(weeks_count)s semaines à l'école.")
                    % {"calendar": calendar, "weeks_count": len(calendar.weeks)},
                )
                return redirect("housing:calendar_list")
    calendars = list(
        SchoolCalendar.objects.visible_to(request.user)
        .filter(organization=organization)
        .select_related("school")
    )
    for calendar in calendars:
        calendar.labels = [iso_week_label(datetime.date.fromisoformat(w)) for w in calendar.weeks]
    return render(
        request,
        "housing/calendar_list.html",
        {"calendars": calendars, "form": form},
        status=400 if request.method == "POST" else 200,
    )

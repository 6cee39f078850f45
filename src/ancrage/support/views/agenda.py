import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import require
from ancrage.people.queries import get_person_for_user, person_label
from ancrage.support import services
from ancrage.support.enums import AppointmentStatus
from ancrage.support.forms import AppointmentForm, AppointmentStatusForm
from ancrage.support.ical import calendar_for
from ancrage.support.models import Appointment, CalendarFeed
from ancrage.support.queries import possible_referents

UPCOMING_DAYS = 60
RECENT_DAYS = 14


@require_GET
def agenda(request):
    """My appointments in the current organization: the recent ones to close, the coming ones."""
    organization = request.membership.organization
    now = timezone.now()
    appointments = list(
        Appointment.objects.visible_to(request.user)
        .filter(
            organization=organization,
            counsellor=request.user,
            starts_at__gte=now - datetime.timedelta(days=RECENT_DAYS),
            starts_at__lte=now + datetime.timedelta(days=UPCOMING_DAYS),
        )
        .select_related("person", "desk")
        .order_by("starts_at", "id")
    )
    to_close = [
        a for a in appointments if a.starts_at <= now and a.status == AppointmentStatus.PLANNED
    ]
    upcoming = [a for a in appointments if a.starts_at > now]
    return render(
        request,
        "support/agenda.html",
        {
            "to_close": to_close,
            "upcoming": upcoming,
            "feed": CalendarFeed.objects.filter(user=request.user).first(),
            "feed_url": request.session.pop("calendar_feed_url", None),
            "status_choices": AppointmentStatus.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def appointment_add(request):
    organization = request.membership.organization
    initial = {"counsellor": request.user.pk}
    if request.GET.get("personne"):
        person = get_person_for_user(request.user, request.GET["personne"])
        initial["person"] = person_label(person)
    form = AppointmentForm(
        request.POST or None,
        user=request.user,
        organization=organization,
        counsellors=possible_referents(organization),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.schedule_appointment(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(appointment)s fixé avec %(person)s.")
                % {"appointment": appointment, "person": appointment.person},
            )
            return redirect("support:agenda")
    return render(request, "support/appointment_form.html", {"form": form})


@require_POST
def appointment_status(request, appointment_id):
    appointment = get_object_or_404(
        Appointment.objects.visible_to(request.user).select_related("person"),
        pk=appointment_id,
    )
    require(request.user, "support.record", appointment)
    form = AppointmentStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("État inconnu : choisissez un état dans la liste."))
    else:
        try:
            services.set_appointment_status(
                appointment=appointment, status=form.cleaned_data["status"], actor=request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(appointment)s avec %(person)s : %(status)s.")
                % {
                    "appointment": appointment,
                    "person": appointment.person,
                    "status": appointment.get_status_display(),
                },
            )
    return redirect(
        request.POST.get("next") if _is_local(request.POST.get("next")) else "support:agenda"
    )


def _is_local(path) -> bool:
    return bool(path) and path.startswith("/") and not path.startswith("//")


@require_POST
def calendar_feed_create(request):
    key = services.create_calendar_feed(actor=request.user)
    url = settings.ANCRAGE_BASE_URL.rstrip("/") + reverse("support:calendar_feed", args=[key])
    # Shown once on the next page; only its hash is stored.
    request.session["calendar_feed_url"] = url
    messages.success(request, _("Nouveau lien d'agenda créé ; l'ancien ne fonctionne plus."))
    return redirect("support:agenda")


@require_POST
def calendar_feed_revoke(request):
    services.revoke_calendar_feed(actor=request.user)
    messages.success(
        request, _("Lien d'agenda supprimé : votre agenda ne reçoit plus vos rendez-vous.")
    )
    return redirect("support:agenda")


@require_GET
def calendar_feed(request, key):
    """Public by necessity (calendar apps cannot log in): the unguessable key is the credential."""
    feed = services.calendar_feed_for_key(key)
    if feed is None:
        raise Http404
    response = HttpResponse(calendar_for(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ancrage-rendez-vous.ics"'
    response["Cache-Control"] = "private, no-store"
    return response

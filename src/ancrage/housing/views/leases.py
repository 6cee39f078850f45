from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import can
from ancrage.core.forms import DateInput
from ancrage.housing import services
from ancrage.housing.enums import BookingStatus
from ancrage.housing.forms import DateActionForm, LeaseForm
from ancrage.housing.models import Booking, SlideCondition
from ancrage.housing.queries import get_booking_for_user, get_lease_for_user

ACTION_LABELS = {
    "sign": gettext_lazy("Bail signé."),
    "end": gettext_lazy("Bail terminé."),
    "slide": gettext_lazy("Bail glissé : il est désormais au nom de l'occupant·e."),
}


@require_http_methods(["GET", "POST"])
def lease_create(request, booking_id):
    """A lease for the person of this booking, covering their bookings of the unit that have none."""
    booking = get_booking_for_user(request.user, booking_id, write=True)
    unit = booking.bed.unit
    covered = list(
        Booking.objects.filter(
            person=booking.person,
            bed__unit=unit,
            status=BookingStatus.ACTIVE,
            lease__isnull=True,
        ).order_by("starts_on")
    )
    form = LeaseForm(
        request.POST or None,
        initial={"starts_on": booking.starts_on, "ends_on": booking.ends_on},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lease = services.prepare_lease(
                person=booking.person, unit=unit, bookings=covered, actor=request.user, **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Bail préparé : %(kind)s. Il reste à le signer.")
                % {"kind": lease.get_kind_display()},
            )
            return redirect("housing:lease_detail", lease.pk)
    return render(
        request,
        "housing/lease_form.html",
        {"booking": booking, "unit": unit, "covered": covered, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def lease_detail(request, lease_id):
    lease = get_lease_for_user(request.user, lease_id)
    can_write = can(request.user, "housing.manage", lease)
    conditions = list(lease.conditions.all())
    return render(
        request,
        "housing/lease_detail.html",
        {
            "lease": lease,
            "conditions": conditions,
            "all_met": all(c.met_on for c in conditions),
            "bookings": list(lease.bookings.select_related("bed").order_by("starts_on")),
            "inspections": list(lease.inspections.order_by("done_on", "id")),
            "can_write": can_write,
            "date_widget": DateInput(),
        },
    )


@require_POST
def lease_action(request, lease_id):
    lease = get_lease_for_user(request.user, lease_id, write=True)
    form = DateActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("housing:lease_detail", lease.pk)
    action, on = form.cleaned_data["action"], form.cleaned_data["on"]
    try:
        if action == "sign":
            services.sign_lease(lease=lease, signed_on=on, actor=request.user)
        elif action == "end":
            services.end_lease(lease=lease, on=on, actor=request.user)
        else:
            services.slide_lease(lease=lease, on=on, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, ACTION_LABELS[action])
    return redirect("housing:lease_detail", lease.pk)


@require_POST
def condition_set(request, lease_id, condition_id):
    lease = get_lease_for_user(request.user, lease_id, write=True)
    condition = get_object_or_404(
        SlideCondition.objects.select_related("lease"), pk=condition_id, lease=lease
    )
    met_on = None
    if request.POST.get("met_on"):
        form = DateActionForm({"action": "sign", "on": request.POST["met_on"]})
        if not form.is_valid():
            messages.error(request, _("Date invalide."))
            return redirect("housing:lease_detail", lease.pk)
        met_on = form.cleaned_data["on"]
    try:
        services.set_slide_condition(condition=condition, met_on=met_on, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("« %(label)s » : %(value)s.")
            % {"label": condition.label, "value": "remplie" if met_on else "à remplir"},
        )
    return redirect("housing:lease_detail", lease.pk)

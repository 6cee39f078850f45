"""The staff's weekly presence at a residence and the requests and incidents brought to them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ancrage.accounts.permissions import can
from ancrage.core.forms import add_service_errors
from ancrage.core.signals import list_read
from ancrage.housing import services
from ancrage.housing.forms import (
    PairingEndForm,
    PairingForm,
    ResidenceRequestForm,
    StaffSlotForm,
)
from ancrage.housing.models import Pairing, RequestStatus, ResidenceRequest, StaffSlot
from ancrage.housing.queries import get_residence_for_user
from ancrage.housing.views.residences import render_residence
from ancrage.people.models import Person


@require_POST
def staff_slot_add(request, residence_id):
    residence = get_residence_for_user(request.user, residence_id, write=True)
    form = StaffSlotForm(request.POST, prefix="slot")
    if form.is_valid():
        try:
            slot = services.add_staff_slot(
                residence=residence, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Présence ajoutée : %(slot)s.") % {"slot": slot})
            return redirect("housing:residence_detail", residence.pk)
    return render_residence(request, residence, slot_form=form, status=400)


@require_POST
def staff_slot_remove(request, residence_id, slot_id):
    residence = get_residence_for_user(request.user, residence_id, write=True)
    slot = get_object_or_404(StaffSlot, pk=slot_id, residence=residence)
    services.remove_staff_slot(slot=slot, actor=request.user)
    messages.success(request, _("Présence retirée : %(slot)s.") % {"slot": slot})
    return redirect("housing:residence_detail", residence.pk)


def _render_requests(request, residence, *, form=None, status=200):
    can_write = can(request.user, "housing.manage", residence)
    requests = list(
        residence.requests.select_related("person", "recorded_by").order_by("-occurred_on", "-id")
    )
    requests.sort(key=lambda r: r.status == RequestStatus.DONE)  # open ones first, stable
    list_read(model=Person, records=[r.person for r in requests if r.person_id], actor=request.user)
    if can_write and form is None:
        form = ResidenceRequestForm(user=request.user, organization=residence.organization)
    return render(
        request,
        "housing/requests.html",
        {
            "residence": residence,
            "requests": requests,
            "open_count": sum(r.status != RequestStatus.DONE for r in requests),
            "statuses": RequestStatus.choices,
            "form": form if can_write else None,
            "can_write": can_write,
        },
        status=status,
    )


@require_GET
def request_list(request, residence_id):
    return _render_requests(request, get_residence_for_user(request.user, residence_id))


@require_POST
def request_add(request, residence_id):
    residence = get_residence_for_user(request.user, residence_id, write=True)
    form = ResidenceRequestForm(
        request.POST, user=request.user, organization=residence.organization
    )
    if form.is_valid():
        try:
            services.log_request(residence=residence, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Enregistré."))
            return redirect("housing:request_list", residence.pk)
    return _render_requests(request, residence, form=form, status=400)


@require_POST
def request_status(request, residence_id, request_id):
    residence = get_residence_for_user(request.user, residence_id, write=True)
    found = get_object_or_404(ResidenceRequest, pk=request_id, residence=residence)
    try:
        services.set_request_status(
            request=found, status=request.POST.get("status", ""), actor=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("État : %(status)s.") % {"status": found.get_status_display()})
    return redirect("housing:request_list", residence.pk)


@require_POST
def pairing_add(request, residence_id):
    residence = get_residence_for_user(request.user, residence_id, write=True)
    form = PairingForm(
        request.POST, prefix="pair", user=request.user, organization=residence.organization
    )
    if form.is_valid():
        try:
            pairing = services.create_pairing(
                residence=residence, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Binôme formé : %(pair)s.") % {"pair": pairing})
            return redirect("housing:residence_detail", residence.pk)
    return render_residence(request, residence, pairing_form=form, status=400)


@require_POST
def pairing_end(request, residence_id, pairing_id):
    residence = get_residence_for_user(request.user, residence_id, write=True)
    pairing = get_object_or_404(Pairing, pk=pairing_id, residence=residence)
    form = PairingEndForm(request.POST)
    if form.is_valid():
        try:
            services.end_pairing(pairing=pairing, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Binôme terminé : %(pair)s.") % {"pair": pairing})
    else:
        messages.error(request, _("Indiquez la date de fin."))
    return redirect("housing:residence_detail", residence.pk)

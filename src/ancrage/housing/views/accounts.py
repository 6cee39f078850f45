"""An occupant's rent account: charges issued, allowances and payments received, balance, arrears."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ancrage.accounts.enums import WRITE_ROLES
from ancrage.accounts.queries import role_in
from ancrage.core.signals import object_viewed
from ancrage.housing import services
from ancrage.housing.forms import AllowanceForm, ChargesForm, PaymentForm
from ancrage.housing.queries import account_of, get_booking_for_user
from ancrage.people.models import Person
from ancrage.people.queries import get_person_for_user


def _render(request, person, *, allowance_form=None, payment_form=None, status=200):
    can_write = role_in(request.user, person.organization_id) in WRITE_ROLES
    return render(
        request,
        "housing/account.html",
        {
            "person": person,
            "account": account_of(person),
            "allowance_form": (allowance_form or AllowanceForm()) if can_write else None,
            "payment_form": (payment_form or PaymentForm()) if can_write else None,
        },
        status=status,
    )


@require_GET
def account(request, person_id):
    person = get_person_for_user(request.user, person_id)
    object_viewed.send(
        sender=Person, instance=person, actor=request.user, organization=person.organization
    )
    return _render(request, person)


@require_POST
def allowance_add(request, person_id):
    person = get_person_for_user(request.user, person_id, write=True)
    form = AllowanceForm(request.POST)
    if form.is_valid():
        try:
            services.record_allowance(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Aide enregistrée.")
            return redirect("housing:account", person.pk)
    return _render(request, person, allowance_form=form, status=400)


@require_POST
def payment_add(request, person_id):
    person = get_person_for_user(request.user, person_id, write=True)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.record_payment(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Paiement enregistré.")
            return redirect("housing:account", person.pk)
    return _render(request, person, payment_form=form, status=400)


@require_POST
def charges_generate(request, booking_id):
    booking = get_booking_for_user(request.user, booking_id, write=True)
    form = ChargesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez jusqu'à quel mois émettre les échéances.")
        return redirect("housing:booking_detail", booking.pk)
    try:
        created = services.generate_charges(
            booking=booking, through=form.cleaned_data["through"], actor=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("housing:booking_detail", booking.pk)
    total = sum(charge.amount for charge in created)
    messages.success(
        request,
        f"{len(created)} échéance(s) émise(s), {total:.2f} € au total.".replace(".", ","),
    )
    return redirect("housing:account", booking.person_id)

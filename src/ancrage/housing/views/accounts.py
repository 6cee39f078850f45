"""An occupant's rent account: charges issued, allowances and payments received, balance, arrears."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ancrage.accounts.permissions import can, get_for_user
from ancrage.core.listing import list_page
from ancrage.core.money import format_euros
from ancrage.core.signals import object_viewed
from ancrage.housing import services
from ancrage.housing.documents import notice_pdf, receipt_pdf
from ancrage.housing.forms import AllowanceForm, ChargesForm, PaymentForm
from ancrage.housing.models import Charge
from ancrage.housing.queries import (
    ARREARS_COLUMNS,
    account_of,
    arrears_of,
    charge_coverage,
    get_booking_for_user,
    get_residence_for_user,
)
from ancrage.people.models import Person
from ancrage.people.queries import get_person_for_user


def _render(request, person, *, allowance_form=None, payment_form=None, status=200):
    can_write = can(request.user, "housing.manage", person)
    account = account_of(person)
    coverage = charge_coverage(person)
    for charge in account.charges:
        charge.granted, charge.paid = coverage[charge.pk]
        charge.fully_paid = charge.granted + charge.paid >= charge.amount
    return render(
        request,
        "housing/account.html",
        {
            "person": person,
            "account": account,
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
            messages.success(request, _("Aide enregistrée."))
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
            messages.success(request, _("Paiement enregistré."))
            return redirect("housing:account", person.pk)
    return _render(request, person, payment_form=form, status=400)


@require_POST
def charges_generate(request, booking_id):
    booking = get_booking_for_user(request.user, booking_id, write=True)
    form = ChargesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez jusqu'à quel mois émettre les échéances."))
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
        _("%(count)s échéance(s) émise(s), %(total)s au total.")
        % {"count": len(created), "total": format_euros(total)},
    )
    return redirect("housing:account", booking.person_id)


@require_POST
def residence_charges(request, residence_id):
    """A month's charges for every occupant of a residence, in one go (all or none)."""
    residence = get_residence_for_user(request.user, residence_id, write=True)
    form = ChargesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez jusqu'à quel mois émettre les échéances."))
        return redirect("housing:residence_detail", residence.pk)
    try:
        created = services.generate_residence_charges(
            residence=residence, through=form.cleaned_data["through"], actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, _("Aucune échéance émise :"))
        for message in exc.messages:
            messages.error(request, message)
        return redirect("housing:residence_detail", residence.pk)
    messages.success(
        request,
        _("%(count)s échéance(s) émise(s) pour %(people)s occupant·e(s), %(total)s au total.")
        % {
            "count": len(created),
            "people": len({charge.person_id for charge in created}),
            "total": format_euros(sum((charge.amount for charge in created), Decimal(0))),
        },
    )
    return redirect("housing:residence_detail", residence.pk)


def _charge(request, charge_id):
    charges = Charge.objects.visible_to(request.user).select_related(
        "person", "booking__bed__unit__residence__organization"
    )
    return get_for_user(charges, charge_id, request.user)


def _pdf(content: bytes, filename: str):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def charge_notice(request, charge_id):
    charge = _charge(request, charge_id)
    granted, _paid = charge_coverage(charge.person)[charge.pk]
    return _pdf(notice_pdf(charge, allowances=granted), f"avis-echeance-{charge.month:%Y-%m}.pdf")


@require_GET
def charge_receipt(request, charge_id):
    charge = _charge(request, charge_id)
    granted, paid = charge_coverage(charge.person)[charge.pk]
    if granted + paid < charge.amount:
        messages.error(
            request,
            _("Pas de quittance pour %(month)s : l'échéance n'est pas entièrement payée.")
            % {"month": format(charge.month, "%m/%Y")},
        )
        return redirect("housing:account", charge.person_id)
    return _pdf(
        receipt_pdf(charge, allowances=granted, paid=paid), f"quittance-{charge.month:%Y-%m}.pdf"
    )


@require_GET
def arrears(request):
    """Occupants in arrears, most late first by default; sorted by a click, exported (audited
    as reads of the people)."""
    return list_page(
        request,
        "housing/arrears.html",
        arrears_of(request.membership.organization),
        ARREARS_COLUMNS,
        default="-retard",
        model=Person,
        record=lambda row: row.person,
        name="impayes",
        title=_("Impayés"),
        context={"delay": settings.ANCRAGE_ARREARS_DELAY_DAYS},
    )

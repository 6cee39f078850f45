"""Pages of the packs: the manager defines them and follows each resident's use; a provider's
members see the residents opened to them (first name, initial, entitlements) and record."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import can, require
from ancrage.catalogue import packs, services, statement
from ancrage.catalogue.forms import DeliveryForm, EntitlementForm, OpeningForm, PackForm
from ancrage.catalogue.models import Opening
from ancrage.catalogue.queries import (
    deliveries_of,
    entitlements_of,
    get_delivery_for_user,
    get_entitlement_for_user,
    get_opening_for_user,
    get_pack_for_user,
    get_provider_opening_for_user,
    openings_of,
    packs_of,
    provider_deliveries,
    provider_entitlements,
    provider_openings,
    providers_of,
)
from ancrage.core.forms import MonthField, add_service_errors
from ancrage.core.signals import list_read, object_viewed
from ancrage.people.models import Person
from ancrage.people.queries import get_person_for_user, people_visible_to, short_name


def _month(request) -> datetime.date:
    """The month the page shows (``?mois=2026-11``), this month by default."""
    try:
        month = MonthField(required=False).clean(request.GET.get("mois", ""))
    except ValidationError:
        month = None
    return month or timezone.localdate().replace(day=1)


def _nav(month: datetime.date) -> dict:
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = packs.month_of(month)[1]
    return {
        "month": month,
        "month_label": packs.month_label(month),
        "previous": f"{previous:%Y-%m}",
        "following": f"{following:%Y-%m}",
    }


@require_GET
def pack_list(request):
    organization = request.membership.organization
    return render(
        request,
        "catalogue/pack_list.html",
        {
            "packs": list(packs_of(organization)),
            "can_manage": can(request.user, "catalogue.packs", organization),
        },
    )


@require_http_methods(["GET", "POST"])
def pack_create(request):
    organization = request.membership.organization
    require(request.user, "catalogue.packs", organization)
    form = PackForm(
        request.POST or None,
        organization=organization,
        initial={"starts_on": timezone.localdate().replace(day=1)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pack = services.create_pack(
                organization=organization,
                residences=list(data["residences"]),
                name=data["name"],
                program=data["program"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Pack créé : ajoutez-lui ses droits."))
            return redirect("catalogue:pack_detail", pack.pk)
    return render(
        request,
        "catalogue/pack_form.html",
        {"form": form, "pack": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def pack_update(request, pack_id):
    pack = get_pack_for_user(request.user, pack_id, write=True)
    if request.method == "POST":
        form = PackForm(request.POST, organization=pack.organization)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_pack(
                    pack=pack,
                    residences=list(data["residences"]),
                    name=data["name"],
                    program=data["program"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    actor=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Pack modifié."))
                return redirect("catalogue:pack_detail", pack.pk)
    else:
        form = PackForm(initial=PackForm.initial_of(pack), organization=pack.organization)
    return render(
        request,
        "catalogue/pack_form.html",
        {"form": form, "pack": pack},
        status=400 if form.errors else 200,
    )


@require_POST
def pack_delete(request, pack_id):
    pack = get_pack_for_user(request.user, pack_id, write=True)
    try:
        services.delete_pack(pack=pack, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("catalogue:pack_detail", pack.pk)
    messages.success(request, _("Pack supprimé."))
    return redirect("catalogue:pack_list")


@require_GET
def pack_detail(request, pack_id):
    """The pack's entitlements, and its residents of the month with what each used and has
    left (a list of people: audited)."""
    pack = get_pack_for_user(request.user, pack_id)
    month = _month(request)
    entitlements = entitlements_of(pack)
    start, end = packs.month_of(month)
    housed = packs.housed(pack, start, end)
    balances = packs.balances_of(
        pack, packs.reference_day(month), person_ids=list(housed), entitlements=entitlements
    )
    people = _people(request.user, list(housed))
    rows = [
        {"person": people[person_id], "balances": balances.get(person_id, [])}
        for person_id in sorted(people, key=lambda pk: (people[pk].last_name, people[pk].pk))
    ]
    list_read(model=Person, records=[row["person"] for row in rows], actor=request.user)
    month_statement = statement.monthly_statement(pack, month)
    return render(
        request,
        "catalogue/pack_detail.html",
        {
            "pack": pack,
            "entitlements": entitlements,
            "residences": list(pack.residences.all()),
            "rows": rows,
            "can_manage": can(request.user, "catalogue.packs", pack),
            "statement": month_statement,
            **_nav(month),
        },
    )


@require_GET
def pack_statement(request, pack_id):
    """The month's statement as a workbook (names of residents: an audited export)."""
    pack = get_pack_for_user(request.user, pack_id)
    month_statement = statement.monthly_statement(pack, _month(request))
    list_read(
        model=Person,
        records=[delivery.person for delivery in month_statement.deliveries],
        actor=request.user,
        how="export xlsx",
    )
    response = HttpResponse(
        statement.statement_xlsx(month_statement),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{statement.filename(month_statement)}"'
    )
    return response


def _people(user, person_ids) -> dict:
    return {p.pk: p for p in people_visible_to(user).filter(pk__in=person_ids)}


@require_http_methods(["GET", "POST"])
def entitlement_add(request, pack_id):
    pack = get_pack_for_user(request.user, pack_id, write=True)
    form = EntitlementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_entitlement(pack=pack, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Droit ajouté au pack."))
            return redirect("catalogue:pack_detail", pack.pk)
    return render(
        request,
        "catalogue/entitlement_form.html",
        {"form": form, "pack": pack, "entitlement": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def entitlement_update(request, entitlement_id):
    entitlement = get_entitlement_for_user(request.user, entitlement_id, write=True)
    pack = entitlement.pack
    initial = {
        "label": entitlement.label,
        "category": entitlement.category,
        "quantity": entitlement.quantity,
        "period": entitlement.period,
        "service": entitlement.service_id,
    }
    form = EntitlementForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_entitlement(
                entitlement=entitlement, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Droit modifié."))
            return redirect("catalogue:pack_detail", pack.pk)
    return render(
        request,
        "catalogue/entitlement_form.html",
        {"form": form, "pack": pack, "entitlement": entitlement},
        status=400 if form.errors else 200,
    )


@require_POST
def entitlement_delete(request, entitlement_id):
    entitlement = get_entitlement_for_user(request.user, entitlement_id, write=True)
    try:
        services.delete_entitlement(entitlement=entitlement, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Droit retiré du pack."))
    return redirect("catalogue:pack_detail", entitlement.pack_id)


def _resident_context(request, pack, person, *, delivery_form=None, opening_form=None) -> dict:
    entitlements = entitlements_of(pack)
    month = _month(request)
    today = timezone.localdate()
    may_record = can(request.user, "catalogue.residents", pack)
    return {
        "pack": pack,
        "person": person,
        "balances": packs.balances(
            pack, person.pk, packs.reference_day(month), entitlements=entitlements
        ),
        "deliveries": deliveries_of(pack, person.pk),
        "openings": list(openings_of(pack, person.pk)),
        "may_record": may_record,
        "delivery_form": delivery_form
        or DeliveryForm(
            entitlements=entitlements, initial={"delivered_on": today, "unit_cost": "0.00"}
        ),
        "opening_form": opening_form
        or OpeningForm(providers=_closed_providers(pack, person), initial={"consent_on": today}),
        "has_providers": _closed_providers(pack, person).exists(),
        **_nav(month),
    }


def _closed_providers(pack, person):
    """The pack's providers the resident is not opened to yet."""
    opened = Opening.objects.filter(pack=pack, person=person, closed_at__isnull=True)
    return providers_of(pack).exclude(pk__in=opened.values("provider_id"))


@require_GET
def pack_resident(request, pack_id, person_id):
    """One resident's pack: each entitlement used and left in its window, the deliveries, the
    providers the resident is opened to."""
    pack = get_pack_for_user(request.user, pack_id)
    person = get_person_for_user(request.user, person_id)
    object_viewed.send(
        sender=Person, instance=person, actor=request.user, organization=pack.organization
    )
    return render(request, "catalogue/pack_resident.html", _resident_context(request, pack, person))


@require_POST
def delivery_create(request, pack_id, person_id):
    pack = get_pack_for_user(request.user, pack_id)
    person = get_person_for_user(request.user, person_id)
    require(request.user, "catalogue.residents", pack)
    form = DeliveryForm(request.POST, entitlements=entitlements_of(pack))
    if form.is_valid():
        try:
            services.record_delivery(person=person, actor=request.user, **form.delivery_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Prestation enregistrée."))
            return redirect("catalogue:pack_resident", pack.pk, person.pk)
    return render(
        request,
        "catalogue/pack_resident.html",
        _resident_context(request, pack, person, delivery_form=form),
        status=400,
    )


@require_POST
def delivery_delete(request, delivery_id):
    """Undo a delivery recorded by mistake (the residence's team, or the provider for its own)."""
    delivery = get_delivery_for_user(request.user, delivery_id)
    services.delete_delivery(delivery=delivery, actor=request.user)
    messages.success(request, _("Prestation annulée."))
    opening = request.POST.get("ouverture", "")
    if opening.isdigit() and delivery.provider_id is not None:
        return redirect("catalogue:provider_resident", int(opening))
    return redirect("catalogue:pack_resident", delivery.entitlement.pack_id, delivery.person_id)


@require_POST
def opening_create(request, pack_id, person_id):
    pack = get_pack_for_user(request.user, pack_id)
    person = get_person_for_user(request.user, person_id)
    require(request.user, "catalogue.residents", pack)
    form = OpeningForm(request.POST, providers=providers_of(pack))
    if form.is_valid():
        try:
            opening = services.open_to_provider(
                pack=pack, person=person, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(provider)s voit désormais les droits de %(person)s.")
                % {"provider": opening.provider, "person": short_name(person)},
            )
            return redirect("catalogue:pack_resident", pack.pk, person.pk)
    return render(
        request,
        "catalogue/pack_resident.html",
        _resident_context(request, pack, person, opening_form=form),
        status=400,
    )


@require_POST
def opening_close(request, opening_id):
    opening = get_opening_for_user(request.user, opening_id)
    services.close_opening(opening=opening, actor=request.user)
    messages.success(
        request,
        _("%(provider)s ne voit plus cette personne.") % {"provider": opening.provider},
    )
    return redirect("catalogue:pack_resident", opening.pack_id, opening.person_id)


# --- The provider's side ---------------------------------------------------------------------


@require_GET
def provider_residents(request):
    """The residents opened to the current organization: first name, initial, the entitlements
    it delivers with what is left this month (a list of people: audited)."""
    organization = request.membership.organization
    openings = list(provider_openings(organization))
    today = timezone.localdate()
    by_pack: dict[int, list[Opening]] = {}
    for opening in openings:
        by_pack.setdefault(opening.pack_id, []).append(opening)
    rows: list[dict[str, Any]] = []
    for pack_openings in by_pack.values():
        pack = pack_openings[0].pack
        entitlements = provider_entitlements(pack_openings[0])
        balances = packs.balances_of(
            pack,
            today,
            person_ids=[o.person_id for o in pack_openings],
            entitlements=entitlements,
        )
        rows += [
            {
                "opening": o,
                "name": short_name(o.person),
                "balances": balances.get(o.person_id, []),
            }
            for o in pack_openings
        ]
    rows.sort(key=lambda row: (row["name"], row["opening"].pk))
    list_read(
        model=Person,
        records=[row["opening"].person for row in rows],
        actor=request.user,
    )
    return render(
        request,
        "catalogue/provider_residents.html",
        {"rows": rows, "organization": organization},
    )


def _provider_context(request, opening, form=None) -> dict:
    entitlements = provider_entitlements(opening)
    today = timezone.localdate()
    return {
        "opening": opening,
        "name": short_name(opening.person),
        "balances": packs.balances(
            opening.pack, opening.person_id, today, entitlements=entitlements
        ),
        "deliveries": provider_deliveries(opening),
        "form": form
        or DeliveryForm(
            entitlements=entitlements, initial={"delivered_on": today, "unit_cost": "0.00"}
        ),
    }


@require_http_methods(["GET", "POST"])
def provider_resident(request, opening_id):
    """A resident opened to the provider: their entitlements of its services, its own
    deliveries, the form to record one. Every read audited."""
    opening = get_provider_opening_for_user(request.user, opening_id)
    object_viewed.send(
        sender=Person, instance=opening.person, actor=request.user, organization=opening.provider
    )
    form = None
    if request.method == "POST":
        form = DeliveryForm(request.POST, entitlements=provider_entitlements(opening))
        if form.is_valid():
            try:
                services.record_delivery(
                    person=opening.person, actor=request.user, **form.delivery_fields()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, _("Prestation enregistrée."))
                return redirect("catalogue:provider_resident", opening.pk)
    return render(
        request,
        "catalogue/provider_resident.html",
        _provider_context(request, opening, form),
        status=400 if form is not None and form.errors else 200,
    )

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import can, require
from ancrage.catalogue import hours, schema, services, vocabulary
from ancrage.catalogue.forms import ImportForm, OrientForm, SearchForm, ServiceForm
from ancrage.catalogue.queries import (
    Search,
    get_service_for_user,
    search_services,
    services_of,
    zone_names,
)
from ancrage.core.forms import add_service_errors
from ancrage.core.listing import Column, list_page
from ancrage.core.tabular import ReadError

COLUMNS = [
    Column("nom", _("Service"), lambda s: s.name, order=("name", "id")),
    Column(
        "structure",
        _("Proposé par"),
        lambda s: s.organization.name,
        order=("organization__name", "name", "id"),
    ),
    Column(
        "themes",
        _("Thématiques"),
        lambda s: ", ".join(vocabulary.label("themes", code) for code in s.themes),
    ),
    Column("commune", _("Lieu d'accueil"), lambda s: s.commune_name, order=("commune_name", "id")),
]
FORMATS = {
    "json": ("application/json", schema.to_json),
    "csv": ("text/csv; charset=utf-8", schema.to_csv),
}


@require_GET
def service_list(request):
    form = SearchForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    values = form.cleaned_data if request.GET and valid else {}
    search = Search(
        text=values.get("q") or "",
        commune=values.get("commune"),
        theme=values.get("theme") or "",
        public=values.get("public") or "",
    )
    organization = request.membership.organization
    return list_page(
        request,
        "catalogue/service_list.html",
        search_services(request.user, search),
        COLUMNS,
        default="nom",
        name="services",
        title=_("Catalogue de services"),
        valid=valid,
        context={
            "form": form,
            "can_manage": can(request.user, "catalogue.manage", organization),
            "own_count": services_of(organization).count(),
            "person_id": _person_id(request),
        },
    )


def _service_context(service, request) -> dict:
    return {
        "service": service,
        "themes": [vocabulary.label("themes", code) for code in service.themes],
        "publics": [vocabulary.label("publics", code) for code in service.publics],
        "reception_modes": [
            vocabulary.label("reception_modes", c) for c in service.reception_modes
        ],
        "mobilisation_modes": [
            vocabulary.label("mobilisation_modes", c) for c in service.mobilisation_modes
        ],
        "mobilisable_by": [vocabulary.label("mobilisable_by", c) for c in service.mobilisable_by],
        "kind": vocabulary.label("kind", service.kind) if service.kind else "",
        "fees": vocabulary.label("fees", service.fees) if service.fees else "",
        "week": hours.week(service.opening_hours, start=timezone.localdate()),
        "zone": zone_names(service.eligibility_zone),
        "can_manage": can(request.user, "catalogue.manage", service),
    }


@require_GET
def service_detail(request, service_id):
    service = get_service_for_user(request.user, service_id)
    context = _service_context(service, request)
    context["person"] = _person_to_orient(request)
    return render(request, "catalogue/service_detail.html", context)


def _person_id(request) -> str:
    """The number of the person whose file led here (``?personne=``), kept from page to page."""
    raw = request.GET.get("personne", "")
    return raw if raw.isdigit() else ""


def _person_to_orient(request):
    """The person whose file led here, when the user may record their support."""
    from django.http import Http404

    from ancrage.people.queries import get_person_for_user

    raw = _person_id(request)
    if not raw:
        return None
    try:
        person = get_person_for_user(request.user, raw)
    except Http404:
        return None
    return person if can(request.user, "support.record", person) else None


@require_http_methods(["GET", "POST"])
def service_orient(request, service_id, person_id):
    from ancrage.people.queries import get_person_for_user

    service = get_service_for_user(request.user, service_id)
    person = get_person_for_user(request.user, person_id)
    require(request.user, "support.record", person)
    form = OrientForm(request.POST or None, initial={"consent_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            done = services.orient_to_service(
                person=person,
                service=service,
                consent_on=form.cleaned_data["consent_on"],
                shared_fields=form.cleaned_data["shared_fields"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if done.referral is not None:
                messages.success(
                    request,
                    _("Orientation envoyée à %(provider)s.") % {"provider": service.organization},
                )
            else:
                messages.success(
                    request, _("Orientation notée dans les démarches de l'accompagnement.")
                )
            return redirect("people:person_detail", person.pk)
    return render(
        request,
        "catalogue/service_orient.html",
        {"service": service, "person": person, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def service_create(request):
    organization = request.membership.organization
    require(request.user, "catalogue.manage", organization)
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.create_service(
                organization=organization, actor=request.user, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Service ajouté au catalogue : %(name)s.") % {"name": service}
            )
            return redirect("catalogue:service_detail", service.pk)
    return render(
        request,
        "catalogue/service_form.html",
        {"form": form, "service": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def service_update(request, service_id):
    service = get_service_for_user(request.user, service_id, write=True)
    if request.method == "POST":
        form = ServiceForm(request.POST)
        if form.is_valid():
            try:
                services.update_service(
                    service=service, actor=request.user, **form.service_fields()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Service modifié."))
                return redirect("catalogue:service_detail", service.pk)
    else:
        form = ServiceForm(initial=ServiceForm.initial_of(service))
    return render(
        request,
        "catalogue/service_form.html",
        {"form": form, "service": service},
        status=400 if form.errors else 200,
    )


@require_POST
def service_active(request, service_id):
    service = get_service_for_user(request.user, service_id, write=True)
    active = request.POST.get("is_active") == "1"
    services.set_service_active(service=service, is_active=active, actor=request.user)
    messages.success(
        request,
        _("Le service est de nouveau proposé.") if active else _("Le service n'est plus proposé."),
    )
    return redirect("catalogue:service_detail", service.pk)


@require_POST
def service_delete(request, service_id):
    service = get_service_for_user(request.user, service_id, write=True)
    name = service.name
    try:
        services.delete_service(service=service, actor=request.user)
    except ProtectedError:
        messages.error(
            request,
            _("Ce service a un historique : il ne peut pas être supprimé, fermez-le plutôt."),
        )
        return redirect("catalogue:service_detail", service.pk)
    messages.success(request, _("Service supprimé : %(name)s.") % {"name": name})
    return redirect("catalogue:service_list")


@require_http_methods(["GET", "POST"])
def service_import(request):
    organization = request.membership.organization
    require(request.user, "catalogue.manage", organization)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            records = schema.read_file(upload.read(), upload.name)
            result = services.import_services(
                organization=organization,
                records=records,
                mode=form.cleaned_data["mode"],
                actor=request.user,
            )
        except ReadError as exc:
            form.add_error("file", str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
    status = 400 if form.errors or (result is not None and result.faults) else 200
    return render(
        request,
        "catalogue/service_import.html",
        {"form": form, "result": result, "organization": organization},
        status=status,
    )


@require_GET
def service_export(request):
    """The current organization's services in the data·inclusion schema (JSON or CSV)."""
    organization = request.membership.organization
    fmt = request.GET.get("format", "json")
    if fmt not in FORMATS:
        fmt = "json"
    content_type, write = FORMATS[fmt]
    response = HttpResponse(write(services_of(organization)), content_type=content_type)
    filename = f"services-data-inclusion-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

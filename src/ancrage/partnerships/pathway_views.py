"""The citizen pathway (``/parcours-citoyen/``): the organization's templates and modules, each
apprentice's pathway — progress, sessions on the weeks they are present, the schools opened to it,
the certificate — and, on the school's or partner's side, the apprentices opened to it."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import can, require
from ancrage.activities import queries as activities_queries
from ancrage.activities import services as activities_services
from ancrage.core.forms import add_service_errors
from ancrage.core.signals import list_read, object_viewed
from ancrage.housing.queries import residences_of
from ancrage.partnerships import pathway_queries as queries
from ancrage.partnerships.forms import (
    PathwayForm,
    PathwayModuleForm,
    PathwayOpeningForm,
    PathwayTemplateForm,
    SessionChoiceForm,
)
from ancrage.partnerships.models import Pathway
from ancrage.partnerships.pathway_pdf import certificate_download
from ancrage.partnerships.services import pathways as services
from ancrage.people.models import Person
from ancrage.people.queries import short_name
from ancrage.programs.queries import programs_of

# --- Templates and modules -----------------------------------------------------------------------


@require_GET
def pathway_list(request):
    """The organization's pathway templates and its apprentices' pathways with their completion
    (``?parcours=`` one template). A list of people: audited."""
    organization = request.membership.organization
    templates = list(queries.templates_of(organization))
    raw = request.GET.get("parcours", "")
    template_id = int(raw) if raw.isdigit() and len(raw) < 19 else None
    pathways = list(queries.pathways_of(organization, template_id=template_id)[:500])
    progress = queries.progress_of(pathways)
    list_read(model=Pathway, records=pathways, actor=request.user)
    return render(
        request,
        "partnerships/pathway_list.html",
        {
            "templates": templates,
            "template_id": template_id,
            "rows": [(p, progress[p.pk]) for p in pathways],
            "can_design": can(request.user, "partnerships.pathways", organization),
            "can_open": can(request.user, "people.change", organization) and templates,
        },
    )


def _template_form(request, data=None, *, template=None):
    organization = request.membership.organization if template is None else template.organization
    initial = (
        {
            "title": template.title,
            "presence": template.presence,
            "residence": template.residence_id,
            "is_active": template.is_active,
        }
        if template is not None
        else None
    )
    return PathwayTemplateForm(
        data,
        initial=initial,
        programs=programs_of(organization),
        residences=residences_of(organization),
        organization=organization,
        editing=template is not None,
    )


@require_http_methods(["GET", "POST"])
def template_create(request):
    organization = request.membership.organization
    require(request.user, "partnerships.pathways", organization)
    form = _template_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.create_template(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Parcours « %(t)s » créé.") % {"t": template.title})
            return redirect("pathways:template_detail", template.pk)
    return render(
        request,
        "partnerships/pathway_template_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _template_context(request, template, *, form=None, module_form=None) -> dict[str, Any]:
    can_design = can(request.user, "partnerships.pathways", template.organization_id)
    return {
        "template": template,
        "modules": queries.modules_of(template),
        "can_design": can_design,
        "form": form or (_template_form(request, template=template) if can_design else None),
        "module_form": module_form
        or (
            PathwayModuleForm(organization=template.organization, initial={"expected_hours": 2})
            if can_design
            else None
        ),
        "pathway_count": template.pathways.count(),
    }


@require_http_methods(["GET", "POST"])
def template_detail(request, template_id):
    """A template: its modules (each with its sessions), its settings."""
    template = queries.get_template_for_user(request.user, template_id)
    form = None
    if request.method == "POST":
        require(request.user, "partnerships.pathways", template.organization_id)
        form = _template_form(request, request.POST, template=template)
        if form.is_valid():
            try:
                services.update_template(template=template, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Parcours mis à jour."))
                return redirect("pathways:template_detail", template.pk)
        template.refresh_from_db()
    return render(
        request,
        "partnerships/pathway_template_detail.html",
        _template_context(request, template, form=form),
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
def module_add(request, template_id):
    template = queries.get_template_for_user(request.user, template_id, write=True)
    form = PathwayModuleForm(request.POST, organization=template.organization)
    if form.is_valid():
        try:
            module = services.add_module(template=template, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Module « %(m)s » ajouté.") % {"m": module.title})
            return redirect("pathways:template_detail", template.pk)
    return render(
        request,
        "partnerships/pathway_template_detail.html",
        _template_context(request, template, module_form=form),
        status=400,
    )


@require_http_methods(["GET", "POST"])
def module_update(request, module_id):
    module = queries.get_module_for_user(request.user, module_id, write=True)
    initial = {
        "theme": module.theme,
        "title": module.title,
        "delivered_by": module.delivered_by.name,
        "expected_hours": module.expected_hours,
        "is_required": module.is_required,
    }
    form = PathwayModuleForm(
        request.POST or None, initial=initial, organization=module.template.organization
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_module(module=module, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Module mis à jour."))
            return redirect("pathways:template_detail", module.template_id)
    return render(
        request,
        "partnerships/pathway_module_form.html",
        {"form": form, "module": module},
        status=400 if form.errors else 200,
    )


@require_POST
def module_delete(request, module_id):
    module = queries.get_module_for_user(request.user, module_id, write=True)
    try:
        services.delete_module(module=module, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Module retiré."))
    return redirect("pathways:template_detail", module.template_id)


# --- An apprentice's pathway -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def pathway_create(request):
    organization = request.membership.organization
    require(request.user, "people.change", organization)
    form = PathwayForm(
        request.POST or None,
        initial={"opened_on": timezone.localdate()},
        user=request.user,
        organization=organization,
        templates=queries.templates_of(organization).filter(is_active=True),
    )
    if request.method == "POST" and form.is_valid():
        try:
            pathway = services.open_pathway(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Parcours ouvert."))
            return redirect("pathways:pathway_detail", pathway.pk)
    return render(
        request,
        "partnerships/pathway_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _pathway_context(request, pathway, *, opening_form=None, error="") -> dict[str, Any]:
    can_change = can(request.user, "people.change", pathway.organization_id)
    partners = services.partners_of(pathway.template)
    openings = queries.openings_of(pathway)
    opened = {o.partner_id for o in openings if o.closed_at is None}
    closed_partners = [p for p in partners if p.pk not in opened]
    return {
        "pathway": pathway,
        "progress": queries.progress_of([pathway])[pathway.pk],
        "offers": queries.offers_for(pathway) if pathway.closed_on is None else [],
        "openings": openings,
        "can_change": can_change,
        "opening_form": opening_form
        or (
            PathwayOpeningForm(
                partners=closed_partners, initial={"consent_on": timezone.localdate()}
            )
            if can_change and closed_partners and pathway.closed_on is None
            else None
        ),
        "error": error,
    }


@require_GET
def pathway_detail(request, pathway_id):
    """An apprentice's pathway: progress per module, the sessions they are signed up for and
    those offered on the weeks they are present, the partners opened to it. Audited."""
    pathway = queries.get_pathway_for_user(request.user, pathway_id)
    object_viewed.send(sender=Person, instance=pathway.person, actor=request.user)
    return render(request, "partnerships/pathway_detail.html", _pathway_context(request, pathway))


@require_POST
def pathway_register(request, pathway_id):
    """Sign the apprentice up for a session of one of the pathway's modules."""
    pathway = queries.get_pathway_for_user(request.user, pathway_id, write=True)
    form = SessionChoiceForm(request.POST)
    session = None
    if form.is_valid():
        found = activities_queries.sessions_between(
            [m.activity_id for m in pathway.template.modules.all()],
            timezone.now(),
            timezone.now() + datetime.timedelta(days=3660),
            pk=form.cleaned_data["session"],
        )
        session = found[0] if found else None
    error = ""
    if session is None:
        error = _("Séance introuvable : choisissez une séance à venir d'un module du parcours.")
    else:
        try:
            activities_services.register(session=session, person=pathway.person, actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except PermissionDenied:
            error = _("Votre rôle ne permet pas d'inscrire aux séances de cette structure.")
    if error:
        object_viewed.send(sender=Person, instance=pathway.person, actor=request.user)
        return render(
            request,
            "partnerships/pathway_detail.html",
            _pathway_context(request, pathway, error=error),
            status=400,
        )
    messages.success(request, _("Inscription enregistrée."))
    return redirect("pathways:pathway_detail", pathway.pk)


@require_POST
def pathway_unregister(request, pathway_id, registration_id):
    pathway = queries.get_pathway_for_user(request.user, pathway_id, write=True)
    found = activities_queries.registrations_in(
        [m.activity_id for m in pathway.template.modules.all()],
        [pathway.person_id],
        pk=registration_id,
    )
    if not found:
        raise Http404
    registration = found[0]
    activities_services.unregister(registration=registration, actor=request.user)
    messages.success(request, _("Inscription retirée."))
    return redirect("pathways:pathway_detail", pathway.pk)


@require_POST
def opening_create(request, pathway_id):
    pathway = queries.get_pathway_for_user(request.user, pathway_id, write=True)
    form = PathwayOpeningForm(request.POST, partners=services.partners_of(pathway.template))
    if form.is_valid():
        try:
            opening = services.open_to_partner(
                pathway=pathway, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Parcours ouvert à %(partner)s : la structure voit les séances de %(person)s")
                % {"partner": opening.partner, "person": short_name(pathway.person)},
            )
            return redirect("pathways:pathway_detail", pathway.pk)
    return render(
        request,
        "partnerships/pathway_detail.html",
        _pathway_context(request, pathway, opening_form=form),
        status=400,
    )


@require_POST
def opening_close(request, opening_id):
    opening = queries.get_opening_for_user(request.user, opening_id)
    services.close_opening(opening=opening, actor=request.user)
    messages.success(
        request, _("%(partner)s ne voit plus ce parcours.") % {"partner": opening.partner}
    )
    return redirect("pathways:pathway_detail", opening.pathway_id)


@require_POST
def pathway_close(request, pathway_id):
    pathway = queries.get_pathway_for_user(request.user, pathway_id, write=True)
    if pathway.closed_on is None:
        services.close_pathway(pathway=pathway, actor=request.user)
        messages.success(request, _("Parcours clos ; les partenaires ne le voient plus."))
    else:
        services.reopen_pathway(pathway=pathway, actor=request.user)
        messages.success(request, _("Parcours rouvert."))
    return redirect("pathways:pathway_detail", pathway.pk)


@require_GET
def pathway_certificate(request, pathway_id):
    """The attendance certificate (PDF): what the pathway's page shows. Audited."""
    pathway = queries.get_pathway_for_user(request.user, pathway_id)
    return certificate_download(pathway, request.user)


# --- The school's or partner's side ------------------------------------------------------------


@require_GET
def partner_list(request):
    """The apprentices opened to the current organization: first name, initial, pathway (a list
    of people: audited)."""
    organization = request.membership.organization
    openings = list(queries.partner_openings(organization)[:500])
    list_read(model=Person, records=[o.pathway.person for o in openings], actor=request.user)
    return render(
        request,
        "partnerships/pathway_partner_list.html",
        {
            "rows": [(o, short_name(o.pathway.person)) for o in openings],
            "organization": organization,
        },
    )


@require_http_methods(["GET", "POST"])
def partner_detail(request, opening_id):
    """An apprentice opened to the school: the sessions of its modules they are signed up for, and
    who came. Every read audited."""
    opening = queries.get_partner_opening_for_user(request.user, opening_id)
    person = opening.pathway.person
    object_viewed.send(
        sender=Person, instance=person, actor=request.user, organization=opening.partner
    )
    error = ""
    if request.method == "POST":
        form = SessionChoiceForm(request.POST)
        rows = queries.partner_sessions(opening)
        row = (
            next((r for r in rows if r.session.pk == form.cleaned_data["session"]), None)
            if form.is_valid()
            else None
        )
        if row is None:
            error = _("Séance introuvable parmi celles de vos modules.")
        else:
            try:
                if request.POST.get("present") == "0" and row.attendance_id:
                    attendance = row.session.attendances.get(pk=row.attendance_id)
                    activities_services.remove_attendance(attendance=attendance, actor=request.user)
                    messages.success(request, _("Présence retirée."))
                else:
                    activities_services.record_attendance(
                        session=row.session, person=person, actor=request.user
                    )
                    messages.success(request, _("Présence notée."))
            except ValidationError as exc:
                error = " ".join(exc.messages)
            except PermissionDenied:
                raise Http404 from None
            else:
                return redirect("pathways:partner_detail", opening.pk)
    return render(
        request,
        "partnerships/pathway_partner_detail.html",
        {
            "opening": opening,
            "name": short_name(person),
            "rows": queries.partner_sessions(opening),
            "error": error,
            "now": timezone.now(),
        },
        status=400 if error else 200,
    )

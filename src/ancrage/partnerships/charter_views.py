"""Pages of the tripartite charter: the program's wording (versions), a charter prepared for an
apprenticeship and followed party by party, and the two public pages — signing through the
personal link, and checking that a PDF is the signed one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import can, get_for_user
from ancrage.core import documents
from ancrage.core.forms import add_service_errors
from ancrage.core.signals import object_viewed
from ancrage.partnerships import charter_pdf
from ancrage.partnerships.forms import CharterForm, CharterTemplateForm, SignForm, VerifyForm
from ancrage.partnerships.models import Charter, CharterTemplate
from ancrage.partnerships.queries import (
    charters_of,
    current_templates,
    get_apprenticeship_for_user,
    get_charter_for_user,
    templates_of_programs,
    templates_visible_to,
)
from ancrage.partnerships.services import charters as services
from ancrage.programs.queries import programs_of

DEFAULT_TITLE = "Charte tripartite d'engagement"
DEFAULT_BODY = """## Article 1 — Objet
La présente charte lie {apprenti}, qui prépare le diplôme « {diplome} » du {debut} au {fin}, l'école {ecole} et l'employeur {employeur}, dans le dispositif « {dispositif} » dont {structure} assure l'hébergement et l'accompagnement.

## Article 2 — Engagements de l'apprenti·e
Respecter le règlement de la résidence et les autres résident·es ; prévenir {structure} de tout changement de rythme, d'absence prolongée ou de fin de contrat ; participer au parcours proposé par l'école et la résidence.

## Article 3 — Engagements de l'école
Transmettre à {structure} le calendrier d'alternance et ses changements ; informer en cas de rupture du contrat ; proposer les modules du parcours citoyen.

## Article 4 — Engagements de l'employeur
Informer {structure} d'une rupture ou d'une suspension du contrat ; faciliter les démarches de l'apprenti·e liées au logement.

## Article 5 — Données personnelles
L'école et l'employeur ne voient de l'apprenti·e que ce que la charte indique, avec son accord. Chaque consultation est enregistrée.
"""


def _operated_programs(request):
    """Programs whose charter the user may write (their organization runs them)."""
    organization = request.membership.organization
    return [p for p in programs_of(organization) if services.may_write_template(request.user, p)]


@require_GET
def template_list(request):
    organization = request.membership.organization
    programs = list(programs_of(organization))
    templates = list(templates_of_programs([p.pk for p in programs]))
    writable = {p.pk for p in _operated_programs(request)}
    return render(
        request,
        "partnerships/template_list.html",
        {
            "rows": [
                (p, [t for t in templates if t.program_id == p.pk], p.pk in writable)
                for p in programs
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def template_create(request):
    """A new version of the charter of a program the user's organization runs (``?dispositif=``
    picks it and starts from its current wording)."""
    operated = _operated_programs(request)
    raw = request.GET.get("dispositif", "")
    chosen = next((p for p in operated if str(p.pk) == raw), operated[0] if operated else None)
    last = (
        CharterTemplate.objects.filter(program=chosen).order_by("-version").first()
        if chosen
        else None
    )
    initial = {
        "program": chosen.pk if chosen else None,
        "title": last.title if last else DEFAULT_TITLE,
        "body": last.body if last else DEFAULT_BODY,
    }
    form = CharterTemplateForm(request.POST or None, programs=operated, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            template = services.create_template(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Version %(version)d enregistrée.") % {"version": template.version}
            )
            return redirect("partnerships:template_detail", template.pk)
    return render(
        request,
        "partnerships/template_form.html",
        {"form": form, "program": chosen, "last": last, "operated": operated},
        status=400 if form.errors else 200,
    )


@require_GET
def template_detail(request, template_id):
    template = get_for_user(
        templates_visible_to(request.user).select_related("program"), template_id, request.user
    )
    return render(
        request,
        "partnerships/template_detail.html",
        {
            "template": template,
            "blocks": charter_pdf.blocks(template.body, {}),
            "can_write": services.may_write_template(request.user, template.program),
        },
    )


@require_http_methods(["GET", "POST"])
def charter_create(request, apprenticeship_id):
    apprenticeship = get_apprenticeship_for_user(request.user, apprenticeship_id, write=True)
    templates = current_templates(apprenticeship.organization)
    person = apprenticeship.person
    initial = {
        "apprentice_name": str(person),
        "apprentice_email": getattr(person, "email", "") or "",
    }
    form = CharterForm(request.POST or None, templates=templates, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            charter = services.prepare_charter(
                apprenticeship=apprenticeship,
                template=form.cleaned_data["template"],
                consent_on=form.cleaned_data["consent_on"],
                parties=form.parties(),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Charte préparée : chaque partie a reçu son lien."))
            return redirect("partnerships:charter_detail", charter.pk)
    return render(
        request,
        "partnerships/charter_form.html",
        {
            "form": form,
            "apprenticeship": apprenticeship,
            "minor": services.is_minor(apprenticeship, timezone.localdate()),
            "has_templates": templates.exists(),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def charter_detail(request, charter_id):
    charter = get_charter_for_user(request.user, charter_id)
    object_viewed.send(
        sender=Charter, instance=charter, actor=request.user, organization=charter.organization
    )
    signatories = list(charter.signatories.all())
    return render(
        request,
        "partnerships/charter_detail.html",
        {
            "charter": charter,
            "signatories": [(s, services.why_closed(s)) for s in signatories],
            "signed_count": sum(1 for s in signatories if s.signed_at),
            "can_change": can(request.user, "people.change", charter),
            "history": [c for c in charters_of(charter.apprenticeship) if c.pk != charter.pk],
        },
    )


@require_GET
def charter_document(request, charter_id):
    """The signed PDF once complete, the document to sign before."""
    charter = get_charter_for_user(request.user, charter_id)
    object_viewed.send(
        sender=Charter, instance=charter, actor=request.user, organization=charter.organization
    )
    signed = bool(charter.signed_document)
    name = charter.signed_document if signed else charter.document
    suffix = "signee" if signed else "a-signer"
    return documents.send_file(
        name, "application/pdf", f"charte-{charter.reference.lower()}-{suffix}.pdf"
    )


@require_POST
def charter_resend(request, charter_id, signatory_id):
    charter = get_charter_for_user(request.user, charter_id, write=True)
    signatory = get_for_user(charter.signatories.all(), signatory_id, request.user)
    try:
        services.resend_link(signatory=signatory, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Nouveau lien envoyé (%(role)s).") % {"role": signatory.get_role_display()},
        )
    return redirect("partnerships:charter_detail", charter.pk)


@require_POST
def charter_revoke(request, charter_id):
    charter = get_charter_for_user(request.user, charter_id, write=True)
    try:
        services.revoke_charter(charter=charter, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Charte retirée : les liens ne fonctionnent plus."))
    return redirect("partnerships:charter_detail", charter.pk)


# --- Public pages --------------------------------------------------------------------------------


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@require_http_methods(["GET", "POST"])
def sign(request, token):
    """A party reads the charter and signs it with the code sent to their address."""
    signatory = services.signatory_for_token(token)
    if signatory is None:
        return render(request, "partnerships/sign_closed.html", {"reason": None}, status=404)
    closed = services.why_closed(signatory)
    if closed:
        return render(request, "partnerships/sign_closed.html", {"reason": closed}, status=410)
    charter = signatory.charter
    # What a school or an employer reads of the apprentice: the charter only, with their
    # consent (``consent_on``); every reading is in the organization's trail.
    object_viewed.send(
        sender=Charter,
        instance=charter,
        actor=None,
        organization=charter.organization,
        actor_label=f"signataire : {signatory.get_role_display()}",
    )
    form = SignForm(request.POST if request.POST.get("step") == "sign" else None)
    status = 200
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "code":
                services.send_code(signatory=signatory)
                messages.success(
                    request,
                    _("Code envoyé à %(email)s. Il est valable %(minutes)d minutes.")
                    % {"email": _masked(signatory.email), "minutes": services.CODE_MINUTES},
                )
                return redirect("charters:sign", token)
            if step == "sign" and form.is_valid():
                services.sign(
                    signatory=signatory, code=form.cleaned_data["code"], ip=_client_ip(request)
                )
                return render(
                    request,
                    "partnerships/sign_done.html",
                    {"charter": Charter.objects.get(pk=charter.pk), "signatory": signatory},
                )
        except ValidationError as exc:
            if step == "sign":
                add_service_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
        status = 400
        signatory.refresh_from_db()
        if services.why_closed(signatory):
            return render(
                request,
                "partnerships/sign_closed.html",
                {"reason": services.why_closed(signatory), "form_errors": form.errors},
                status=410,
            )
    template = charter.template
    return render(
        request,
        "partnerships/sign.html",
        {
            "signatory": signatory,
            "charter": charter,
            "blocks": charter_pdf.blocks(
                template.body, charter_pdf.values_of(charter.apprenticeship, template)
            ),
            "form": form,
            "code_sent": bool(signatory.code_hash),
            "parties": list(charter.signatories.all()),
            "email": _masked(signatory.email),
        },
        status=status,
    )


def _masked(email: str) -> str:
    """« c…@ecole.fr »: enough for the party to recognise their address, nothing more."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


@require_http_methods(["GET", "POST"])
def verify(request):
    """Anyone holding a PDF can check that it is a charter as signed, byte for byte."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    outcome, charter = None, None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["document"]
            try:
                content_type, _size, _digest = documents.check(upload)
                if content_type != "application/pdf":
                    raise ValueError(_("Déposez le PDF de la charte."))
            except ValueError as exc:
                form.add_error("document", str(exc))
                status = 400
            else:
                outcome, charter = services.verify(upload.read())
        else:
            status = 400
    return render(
        request,
        "partnerships/verify.html",
        {
            "form": form,
            "outcome": outcome,
            "charter": charter,
            "signed_count": charter.signatories.count() if charter else 0,
        },
        status=status,
    )

"""Pages of the agreements between partners: the list, a new agreement with its parties, an
agreement (parties, commitments, PDF from the template, signed copy)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.permissions import can, organizations_where
from ancrage.core import documents
from ancrage.core.forms import add_service_errors
from ancrage.partnerships.agreement_pdf import agreement_pdf as draw_pdf
from ancrage.partnerships.forms import AgreementForm, SignedAgreementForm
from ancrage.partnerships.grants import grants_for
from ancrage.partnerships.queries import agreements_visible_to, get_agreement_for_user
from ancrage.partnerships.services import agreements as services
from ancrage.programs.enums import ParticipantRole


@require_GET
def agreement_list(request):
    organization = request.membership.organization
    rows = list(
        agreements_visible_to(request.user)
        .prefetch_related("parties__organization")
        .order_by("-starts_on", "-id")[:200]
    )
    return render(
        request,
        "partnerships/agreement_list.html",
        {
            "agreements": rows,
            "today": timezone.localdate(),
            "can_create": can(request.user, "partnerships.agreements", organization),
        },
    )


@require_http_methods(["GET", "POST"])
def agreement_create(request):
    organization = request.membership.organization
    form = AgreementForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.create_agreement(
                organization=organization,
                parties=form.parties(organization),
                actor=request.user,
                **form.agreement_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Convention enregistrée : imprimez-la pour signature."))
            return redirect("agreements:agreement_detail", agreement.pk)
    return render(
        request,
        "partnerships/agreement_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _detail(request, agreement, *, signed_form=None, status=200):
    parties = list(agreement.parties.select_related("organization"))
    roles = dict(ParticipantRole.choices)
    grants = grants_for([agreement.pk]).get(agreement.pk, [])
    granted: dict[int, int] = {}
    for grant in grants:
        granted[grant.funder_id] = granted.get(grant.funder_id, 0) + grant.total_cents
    mine = set(organizations_where(request.user, "organization.view"))
    return render(
        request,
        "partnerships/agreement_detail.html",
        {
            "agreement": agreement,
            "parties": [
                (p, roles.get(p.role, p.role), granted.get(p.organization_id)) for p in parties
            ],
            "grants": [
                (g, g.url if {g.funder_id, g.beneficiary_id} & mine else "") for g in grants
            ],
            "can_change": can(request.user, "partnerships.agreements", agreement),
            "signed_form": signed_form or SignedAgreementForm(),
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_GET
def agreement_detail(request, agreement_id):
    return _detail(request, get_agreement_for_user(request.user, agreement_id))


@require_GET
def agreement_pdf(request, agreement_id):
    agreement = get_agreement_for_user(request.user, agreement_id)
    response = HttpResponse(draw_pdf(agreement), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="convention-partenariat-{agreement.pk}.pdf"'
    )
    return response


@require_POST
def signed_add(request, agreement_id):
    agreement = get_agreement_for_user(request.user, agreement_id, write=True)
    form = SignedAgreementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_signed(
                agreement=agreement,
                upload=form.cleaned_data["file"],
                signed_on=form.cleaned_data["signed_on"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Convention signée jointe."))
            return redirect("agreements:agreement_detail", agreement.pk)
    return _detail(request, agreement, signed_form=form, status=400)


@require_GET
def signed_download(request, agreement_id):
    agreement = get_agreement_for_user(request.user, agreement_id)
    if not agreement.signed_document:
        return _detail(request, agreement, status=404)
    return documents.send_file(
        agreement.signed_document,
        "application/pdf",
        f"convention-partenariat-{agreement.pk}-signee.pdf",
    )

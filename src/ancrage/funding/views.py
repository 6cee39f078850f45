"""Agreements between a funder and the organizations it funds, their objectives and payments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.models import Organization
from ancrage.accounts.permissions import can
from ancrage.core import documents
from ancrage.core.forms import add_service_errors
from ancrage.core.money import format_euros
from ancrage.core.signals import object_viewed
from ancrage.funding import opendata, queries, services
from ancrage.funding.agreement_pdf import agreement_pdf as agreement_pdf_bytes
from ancrage.funding.forms import (
    AgreementForm,
    DayForm,
    InstallmentForm,
    ObjectiveForm,
    PartnerAgreementLinkForm,
    SignedAgreementForm,
)
from ancrage.funding.models import Agreement, Installment
from ancrage.indicators.definitions import INDICATORS
from ancrage.partnerships.queries import partner_agreements_with
from ancrage.programs.enums import SUPPORTING_ROLES, ParticipantRole
from ancrage.programs.models import Program, ProgramParticipant


@require_GET
def agreement_list(request):
    """The agreements of the current organization, as funder or as beneficiary."""
    organization = request.membership.organization
    rows = (
        Agreement.objects.visible_to(request.user)
        .filter(Q(funder=organization) | Q(beneficiary=organization))
        .select_related("funder", "beneficiary", "program")
        .prefetch_related("amounts")
        .order_by("-starts_on", "id")
    )
    return render(
        request,
        "funding/agreement_list.html",
        {
            "agreements": rows,
            "organization": organization,
            "can_create": can(request.user, "funding.decide", organization)
            and _funded_programs(organization).exists(),
        },
    )


def _funded_programs(organization):
    return Program.objects.filter(
        pk__in=ProgramParticipant.objects.filter(
            organization=organization, role=ParticipantRole.FUNDER
        ).values("program_id")
    ).order_by("name")


def _agreement_form(data, organization):
    programs = _funded_programs(organization)
    beneficiaries = Organization.objects.filter(
        pk__in=ProgramParticipant.objects.filter(
            program__in=programs, role__in=SUPPORTING_ROLES
        ).values("organization_id"),
        is_active=True,
    ).order_by("name")
    return AgreementForm(data, beneficiaries=beneficiaries, programs=programs)


@require_http_methods(["GET", "POST"])
def agreement_create(request):
    organization = request.membership.organization
    form = _agreement_form(request.POST or None, organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        years = range(data["starts_on"].year, data["ends_on"].year + 1)
        try:
            agreement = services.create_agreement(
                funder=organization,
                beneficiary=data["beneficiary"],
                program=data["program"],
                subject=data["subject"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                amounts=dict.fromkeys(years, data["yearly_amount"]),
                objectives_percent=data["objectives_percent"],
                signed_on=data["signed_on"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Convention enregistrée."))
            return redirect("funding:agreement_detail", agreement.pk)
    return render(
        request,
        "funding/agreement_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _render_detail(
    request,
    agreement,
    *,
    objective_form=None,
    installment_form=None,
    signed_form=None,
    link_form=None,
    status=200,
):
    can_decide = can(request.user, "funding.decide", agreement.funder)
    can_request = can(request.user, "indicators.write_report", agreement.beneficiary)
    budget = queries.budget_of(agreement)
    objectives = list(agreement.objectives.all())
    for objective in objectives:
        indicator = INDICATORS.get(objective.indicator)
        objective.label = indicator.label if indicator else objective.indicator
    return render(
        request,
        "funding/agreement_detail.html",
        {
            "agreement": agreement,
            "budget": budget,
            "total_granted": format_euros(sum(b.granted for b in budget) / 100),
            "objectives": objectives,
            "installments": list(agreement.installments.all()),
            "blockers": {b.year: b.blockers for b in budget},
            "can_decide": can_decide,
            "can_request": can_request,
            "objective_form": (
                objective_form or ObjectiveForm(years=agreement.years, auto_id="objectif_%s")
            )
            if can_decide
            else None,
            "installment_form": (
                installment_form or InstallmentForm(years=agreement.years, auto_id="versement_%s")
            )
            if can_decide
            else None,
            "signed_form": (signed_form or SignedAgreementForm(auto_id="signee_%s"))
            if can_decide
            else None,
            "link_form": (link_form or _link_form(request, agreement)) if can_decide else None,
            "this_year": timezone.localdate().year,
            "today": timezone.localdate(),
        },
        status=status,
    )


def _link_form(request, agreement, data=None):
    return PartnerAgreementLinkForm(
        data,
        choices=partner_agreements_with(request.user, agreement.funder, agreement.beneficiary),
        initial={"partner_agreement": agreement.partner_agreement_id},
        auto_id="partenariat_%s",
    )


@require_POST
def agreement_partnership(request, agreement_id):
    """Tie the grant to the agreement between partners it belongs to (or untie it)."""
    agreement = queries.get_agreement_for_user(request.user, agreement_id, decide=True)
    form = _link_form(request, agreement, request.POST)
    if form.is_valid():
        try:
            services.link_partner_agreement(
                agreement=agreement,
                partner_agreement=form.cleaned_data["partner_agreement"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Subvention rattachée à la convention de partenariat.")
                if agreement.partner_agreement_id
                else _("Subvention détachée de la convention de partenariat."),
            )
            return redirect("funding:agreement_detail", agreement.pk)
    return _render_detail(request, agreement, link_form=form, status=400)


@require_GET
def agreement_pdf(request, agreement_id):
    """The agreement printed from its template's version, for both parties."""
    agreement = queries.get_agreement_for_user(request.user, agreement_id)
    response = HttpResponse(agreement_pdf_bytes(agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="convention-{agreement.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def agreement_signed_add(request, agreement_id):
    agreement = queries.get_agreement_for_user(request.user, agreement_id, decide=True)
    form = SignedAgreementForm(request.POST, request.FILES, auto_id="signee_%s")
    if form.is_valid():
        try:
            services.attach_signed_agreement(
                agreement=agreement,
                upload=form.cleaned_data["file"],
                signed_on=form.cleaned_data["signed_on"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Convention signée enregistrée."))
            return redirect("funding:agreement_detail", agreement.pk)
    return _render_detail(request, agreement, signed_form=form, status=400)


@require_GET
def agreement_signed_download(request, agreement_id):
    agreement = queries.get_agreement_for_user(request.user, agreement_id)
    if not agreement.signed_file:
        raise Http404
    object_viewed.send(
        sender=Agreement, instance=agreement, actor=request.user, organization=agreement.funder
    )
    return documents.send_file(
        agreement.signed_file.name or "", "application/pdf", f"convention-{agreement.pk}-signee.pdf"
    )


@require_GET
def agreement_detail(request, agreement_id):
    agreement = queries.get_agreement_for_user(request.user, agreement_id)
    object_viewed.send(
        sender=Agreement, instance=agreement, actor=request.user, organization=agreement.funder
    )
    return _render_detail(request, agreement)


@require_POST
def objective_set(request, agreement_id):
    agreement = queries.get_agreement_for_user(request.user, agreement_id, decide=True)
    form = ObjectiveForm(request.POST, years=agreement.years, auto_id="objectif_%s")
    if form.is_valid():
        try:
            services.set_objective(agreement=agreement, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Objectif enregistré."))
            return redirect("funding:agreement_detail", agreement.pk)
    return _render_detail(request, agreement, objective_form=form, status=400)


@require_POST
def installment_add(request, agreement_id):
    agreement = queries.get_agreement_for_user(request.user, agreement_id, decide=True)
    form = InstallmentForm(request.POST, years=agreement.years, auto_id="versement_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_installment(
                agreement=agreement,
                year=data["year"],
                kind=data["kind"],
                amount_cents=data["amount"],
                planned_on=data["planned_on"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error("amount" if "amount_cents" in exc.message_dict else None, exc.messages)
        else:
            messages.success(request, _("Versement prévu."))
            return redirect("funding:agreement_detail", agreement.pk)
    return _render_detail(request, agreement, installment_form=form, status=400)


def _installment_step(request, agreement_id, installment_id, step, *, decide=False):
    agreement = queries.get_agreement_for_user(request.user, agreement_id, decide=decide)
    installment = get_object_or_404(
        Installment.objects.select_related("agreement__beneficiary", "agreement__funder"),
        pk=installment_id,
        agreement=agreement,
    )
    form = DayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez la date."))
        return redirect("funding:agreement_detail", agreement.pk)
    try:
        step(installment=installment, on=form.cleaned_data["on"], actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(installment)s : %(status)s.")
            % {
                "installment": installment.get_kind_display(),
                "status": installment.get_status_display().lower(),
            },
        )
    return redirect("funding:agreement_detail", agreement.pk)


@require_POST
def installment_request(request, agreement_id, installment_id):
    return _installment_step(request, agreement_id, installment_id, services.request_installment)


@require_POST
def installment_pay(request, agreement_id, installment_id):
    return _installment_step(
        request, agreement_id, installment_id, services.pay_installment, decide=True
    )


@require_GET
def budget(request):
    """Budget used per program, funder, beneficiary and year, for the current organization as a
    funder and as a beneficiary."""
    organization = request.membership.organization
    lines = queries.budget_lines([organization.pk])
    totals = {
        name: sum(getattr(line, name) for line in lines)
        for name in ("granted", "paid", "planned", "left")
    }
    return render(
        request,
        "funding/budget.html",
        {"organization": organization, "lines": lines, "totals": totals},
    )


@require_GET
def grants_export(request):
    """The current funder's grants in the SCDL « subventions » format, to publish as open data."""
    organization = request.membership.organization
    response = HttpResponse(
        opendata.grants_csv(queries.grants_of([organization.pk])),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"subventions-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

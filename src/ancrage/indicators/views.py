"""Dashboards, annual report, reporting table and open-data export."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts.models import Organization
from ancrage.accounts.permissions import can, get_for_user, get_organization_for_user, require
from ancrage.indicators import reports, services
from ancrage.indicators.access import Audience, choices_for, get_selection_for_user
from ancrage.indicators.charts import bar_chart
from ancrage.indicators.definitions import INDICATORS
from ancrage.indicators.enums import ReportStatus, Scope
from ancrage.indicators.forms import AnnualReportForm, PeriodForm, ReportDecisionForm
from ancrage.indicators.models import AnnualReport, StaleMonth
from ancrage.indicators.queries import (
    FIRST_YEAR,
    children,
    figures,
    funder_organizations_of,
    grouped,
    key_indicators,
    last_refresh,
    month_label,
    trail,
)
from ancrage.programs.models import ProgramParticipant


def _year(request) -> int:
    today = timezone.localdate()
    raw = request.GET.get("annee", "")
    if not raw:
        return today.year
    try:
        year = int(raw)
    except ValueError:
        raise Http404 from None
    if not FIRST_YEAR <= year <= today.year:
        raise Http404
    return year


def _current_organization(request):
    membership = getattr(request, "membership", None)
    return membership.organization if membership else None


@require_GET
def dashboard(request):
    """Figures of one organization, program, territory or France, year N against N-1."""
    audience = Audience.of(request.user)
    selection = get_selection_for_user(
        request.user, request.GET, _current_organization(request), audience
    )
    year = _year(request)
    if selection is None:
        return render(request, "indicators/nothing.html")
    in_team = selection.organization is not None and (
        selection.organization.pk in audience.organizations
    )
    threshold = settings.ANCRAGE_SMALL_CELL_THRESHOLD
    all_figures = figures(selection, year, mask_below=None if in_team else threshold)
    for figure in all_figures:
        figure.chart = bar_chart(
            figure.indicator.label,
            [month_label(m) for m, _, _ in figure.months],
            [
                (str(year), [c for _, c, _ in figure.months]),
                (str(year - 1), [p for _, _, p in figure.months]),
            ],
            figure.indicator.unit,
        )
    child_title, child_heading, child_rows = children(selection, year)
    codes = key_indicators(selection)
    organization = selection.organization
    can_report = organization is not None and (
        can(request.user, "team.read", organization) or _program_viewer_of(audience, organization)
    )
    context = {
        "selection": selection,
        "year": year,
        "years": list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))[:6],
        "groups": grouped(all_figures),
        "child_title": child_title,
        "child_heading": child_heading,
        "trail": trail(selection),
        "child_rows": child_rows,
        "child_columns": [INDICATORS[c] for c in codes],
        "choices": choices_for(request.user, audience),
        "refreshed": last_refresh(),
        "stale": StaleMonth.objects.exists(),
        "can_report": can_report,
        "reporting_table": can(request.user, "team.read", organization),
        "query": {k: v for k, v in selection.query().items() if v is not None},
        "is_national": selection.scope == Scope.NATIONAL,
        "threshold": threshold,
    }
    return render(request, "indicators/dashboard.html", context)


def _program_viewer_of(audience: Audience, organization: Organization) -> bool:
    """Members of a program the organization operates or takes part in may read its annual report."""
    if audience.everything:
        return True
    return ProgramParticipant.objects.filter(
        organization=organization, program_id__in=audience.programs
    ).exists()


def _report_back_query(request, organization, year: int) -> str:
    """Where the report's breadcrumb leads: the organization's dashboard for its team (and the
    platform's operators), else the dashboard of the program through which the reader sees it
    (a funder, a partner: the organization's own dashboard would answer 404)."""
    audience = Audience.of(request.user)
    if can(request.user, "team.read", organization) or audience.everything:
        return f"structure={organization.pk}&annee={year}"
    shared = (
        ProgramParticipant.objects.filter(
            organization=organization, program_id__in=audience.programs
        )
        .order_by("program__name")
        .values_list("program_id", flat=True)
        .first()
    )
    return f"dispositif={shared}&annee={year}"


def _report_mask(request, organization) -> int | None:
    """Readers outside the team see breakdown cells under the small-cell threshold withheld."""
    if can(request.user, "team.read", organization):
        return None
    return settings.ANCRAGE_SMALL_CELL_THRESHOLD


def _report_organization(request, organization_id, *, write=False):
    """The organization whose report is asked for: its team and the members of its programs read
    it (404 for anyone else); writing its sections needs a writing role in it (403)."""
    organization = get_for_user(
        Organization.objects.select_related("commune"),
        organization_id,
        request.user,
    )
    if not can(request.user, "team.read", organization) and not _program_viewer_of(
        Audience.of(request.user), organization
    ):
        raise Http404
    if write:
        require(request.user, "indicators.write_report", organization)
    return organization, can(request.user, "indicators.write_report", organization)


def _report_year(year) -> int:
    year = int(year)
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return year


@require_http_methods(["GET", "POST"])
def annual_report(request, organization_id, year):
    """The bilan annuel: the six indicators computed, the qualitative sections written by the team."""
    organization, can_write = _report_organization(
        request, organization_id, write=request.method == "POST"
    )
    year = _report_year(year)
    report = AnnualReport.objects.filter(organization=organization, year=year).first()
    form = AnnualReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_annual_report(
                organization=organization,
                year=year,
                obstacles=form.cleaned_data["obstacles"],
                analysis=form.cleaned_data["analysis"],
                actor=request.user,
            )
        except ValidationError as exc:
            if report is not None and report.status in services.LOCKED:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("indicators:annual_report", organization.pk, year)
            form.add_error(None, exc)
        else:
            messages.success(request, _("Le bilan a été enregistré."))
            return redirect("indicators:annual_report", organization.pk, year)
    data = reports.annual_report_data(
        organization, year, mask_below=_report_mask(request, organization)
    )
    for figure in data.figures:
        figure.chart = bar_chart(
            figure.indicator.label,
            [month_label(m) for m, _, _ in figure.months],
            [(str(year), [c for _, c, _ in figure.months])],
            figure.indicator.unit,
        )
    locked = report is not None and report.status in services.LOCKED
    frozen = report.frozen if report is not None and report.status != ReportStatus.DRAFT else {}
    for figure in data.figures:
        figure.frozen = frozen.get(figure.indicator.code, figure.current)
        figure.changed_since = bool(frozen) and figure.frozen != figure.current
    can_decide = (
        report is not None
        and report.status == ReportStatus.SUBMITTED
        and any(
            can(request.user, "funding.decide", o) for o in funder_organizations_of(organization)
        )
    )
    return render(
        request,
        "indicators/annual_report.html",
        {
            "organization": organization,
            "year": year,
            "data": data,
            "form": form if can_write and not locked else None,
            "report": report,
            "events": list(report.events.select_related("by", "by_organization")) if report else [],
            "frozen": bool(frozen),
            "can_submit": can_write and not locked and year < timezone.localdate().year,
            "can_decide": can_decide,
            "decision_form": ReportDecisionForm() if can_decide else None,
            "can_write": can_write,
            "threshold": settings.ANCRAGE_SMALL_CELL_THRESHOLD,
            "back_query": _report_back_query(request, organization, year),
        },
    )


@require_POST
def report_submit(request, organization_id, year):
    """The team hands the year's report in to its funders (figures frozen)."""
    organization, _can_write = _report_organization(request, organization_id, write=True)
    year = _report_year(year)
    try:
        services.submit_report(organization=organization, year=year, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Bilan remis au financeur : ses chiffres sont figés à aujourd'hui.")
        )
    return redirect("indicators:annual_report", organization.pk, year)


@require_POST
def report_decide(request, organization_id, year):
    """The funder approves the handed-in report or sends it back with its comment."""
    organization, _can_write = _report_organization(request, organization_id)
    year = _report_year(year)
    if not any(
        can(request.user, "funding.decide", o) for o in funder_organizations_of(organization)
    ):
        raise PermissionDenied(_("Seul le financeur du dispositif décide du bilan."))
    report = AnnualReport.objects.filter(organization=organization, year=year).first()
    form = ReportDecisionForm(request.POST)
    if report is None or not form.is_valid():
        messages.error(request, _("Choisissez d'approuver ou de renvoyer le bilan."))
        return redirect("indicators:annual_report", organization.pk, year)
    try:
        services.decide_report(
            report=report,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
            actor=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Bilan approuvé.")
            if report.status == ReportStatus.APPROVED
            else _("Bilan renvoyé à la structure avec votre commentaire."),
        )
    return redirect("indicators:annual_report", organization.pk, year)


def _default_period() -> tuple:
    """Last year and this one: the CLLAJ's two-year agreements."""
    year = timezone.localdate().year
    return datetime.date(year - 1, 1, 1), datetime.date(year, 12, 1)


@require_GET
def period_report(request, organization_id):
    """The final report over a period of whole months (an agreement's two or three years): each
    figure over the whole period, people counted once, beside the annual reports of its years."""
    organization, _can_write = _report_organization(request, organization_id)
    first, last = _default_period()
    form = PeriodForm(request.GET or {"first_month": first, "last_month": last})
    data = None
    if form.is_valid():
        first, last = form.cleaned_data["first_month"], form.cleaned_data["last_month"]
        period = services.track_period(first_month=first, last_month=last)
        period.refresh_from_db()
        if period.computed_at is not None:
            data = reports.period_report_data(
                organization, first, last, mask_below=_report_mask(request, organization)
            )
    query = f"first_month={first:%Y-%m}&last_month={last:%Y-%m}" if form.is_valid() else ""
    return render(
        request,
        "indicators/period_report.html",
        {
            "organization": organization,
            "form": form,
            "data": data,
            "query": query,
            "threshold": settings.ANCRAGE_SMALL_CELL_THRESHOLD,
            "back_query": _report_back_query(request, organization, last.year),
        },
    )


def _period_data(request, organization_id):
    """The organization and its final report's figures for the months asked (404 when the
    months are wrong or the period not computed yet)."""
    organization, _can_write = _report_organization(request, organization_id)
    form = PeriodForm(request.GET)
    if not form.is_valid():
        raise Http404
    first, last = form.cleaned_data["first_month"], form.cleaned_data["last_month"]
    data = reports.period_report_data(
        organization, first, last, mask_below=_report_mask(request, organization)
    )
    if data.computed_at is None:
        raise Http404
    return organization, first, last, data


@require_GET
def period_report_pdf(request, organization_id):
    organization, first, last, data = _period_data(request, organization_id)
    return _download(
        reports.period_report_pdf(data),
        "application/pdf",
        f"bilan-periode-{first:%Y-%m}-{last:%Y-%m}-{reports.slug(organization.name)}.pdf",
    )


@require_GET
def period_report_xlsx(request, organization_id):
    organization, first, last, data = _period_data(request, organization_id)
    return _download(
        reports.period_report_xlsx(data),
        XLSX,
        f"bilan-periode-{first:%Y-%m}-{last:%Y-%m}-{reports.slug(organization.name)}.xlsx",
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def annual_report_pdf(request, organization_id, year):
    organization, _ = _report_organization(request, organization_id)
    data = reports.annual_report_data(
        organization, _report_year(year), mask_below=_report_mask(request, organization)
    )
    return _download(
        reports.annual_report_pdf(data),
        "application/pdf",
        f"bilan-annuel-{data.year}-{reports.slug(organization.name)}.pdf",
    )


@require_GET
def annual_report_xlsx(request, organization_id, year):
    organization, _ = _report_organization(request, organization_id)
    data = reports.annual_report_data(
        organization, _report_year(year), mask_below=_report_mask(request, organization)
    )
    return _download(
        reports.annual_report_xlsx(data),
        XLSX,
        f"bilan-annuel-{data.year}-{reports.slug(organization.name)}.xlsx",
    )


@require_GET
def reporting_table(request, organization_id, year):
    """One row per person supported in the year: personal data, for the organization's team only."""
    organization = get_organization_for_user(request.user, organization_id, action="team.read")
    year = _report_year(year)
    return _download(
        reports.reporting_table_xlsx(organization, year, request.user),
        XLSX,
        f"tableau-de-reporting-{year}-{reports.slug(organization.name)}.xlsx",
    )


@require_GET
def open_data(request):
    """Aggregates of the slice and its territories as CSV, small cells suppressed."""
    selection = get_selection_for_user(request.user, request.GET, _current_organization(request))
    if selection is None:
        raise Http404
    year = _year(request)
    content = reports.open_data_csv(selection, year)
    return _download(
        content.encode("utf-8-sig"),
        "text/csv; charset=utf-8",
        f"indicateurs-{year}-{reports.slug(selection.title)}.csv",
    )


@require_GET
def definitions(request):
    """Every indicator with its definition, as users must be able to check how a figure is made."""
    return render(
        request,
        "indicators/definitions.html",
        {"indicators": list(INDICATORS.values()), "index": reverse("indicators:dashboard")},
    )

"""Writes of the indicators app besides its rollups: the qualitative sections of an annual report."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.models import Organization
from ancrage.accounts.permissions import can, require
from ancrage.accounts.queries import members_allowed
from ancrage.core.actor import acting_as
from ancrage.indicators import reports
from ancrage.indicators.enums import ReportStatus
from ancrage.indicators.models import AnnualReport, ReportEvent, ReportingPeriod, Target
from ancrage.indicators.queries import funder_organizations_of
from ancrage.notifications.enums import NotificationKind
from ancrage.notifications.services import notify

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.programs.models import Program


LOCKED = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def save_annual_report(
    *, organization: Organization, year: int, obstacles: str, analysis: str, actor: User
) -> AnnualReport:
    """Write (or rewrite) the team's sections of the organization's annual report for ``year``;
    not once it is handed in (until the funder sends it back) or approved."""
    require(actor, "indicators.write_report", organization)
    with acting_as(actor), transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update()
            .filter(organization=organization, year=year)
            .first()
        ) or AnnualReport(organization=organization, year=year)
        if report.status in LOCKED:
            raise ValidationError(_locked_message(report))
        report.obstacles, report.analysis, report.updated_by = obstacles, analysis, actor
        report.full_clean()
        report.save()
    return report


def refresh_after_bulk_write(*, since: datetime.date, until: datetime.date | None = None) -> None:
    """After a bulk write made under ``signals.refresh_paused`` (an import): every month from
    ``since`` to ``until`` (default: this month) is marked changed, and one refresh is queued
    once the write commits, instead of one per record."""
    from ancrage.indicators.rollup import first_of_month, mark_stale, next_month
    from ancrage.indicators.tasks import refresh_stale_indicators

    last = min(until or timezone.localdate(), timezone.localdate())
    months, month = [], first_of_month(since)
    while month <= last:
        months.append(month)
        month = next_month(month)
    mark_stale(months)
    if settings.ANCRAGE_INDICATORS_AUTO_REFRESH:
        transaction.on_commit(refresh_stale_indicators.enqueue)


def _locked_message(report: AnnualReport) -> str:
    if report.status == ReportStatus.APPROVED:
        return _("Ce bilan est approuvé : il ne change plus.")
    return _("Ce bilan est remis au financeur : il ne change plus, sauf s'il vous est renvoyé.")


def submit_report(*, organization: Organization, year: int, actor: User) -> AnnualReport:
    """Hand the year's report in: its figures are frozen as they are today (the report will show
    them beside the live ones if the data changes), the funders' deciders are told."""
    require(actor, "indicators.write_report", organization)
    today = timezone.localdate()
    if year >= today.year:
        raise ValidationError(
            _("Un bilan se remet une fois l'année terminée : à partir du 1er janvier %(next)d.")
            % {"next": year + 1}
        )
    deciders = funder_organizations_of(organization)
    if not deciders:
        raise ValidationError(
            _("Aucun financeur ne suit cette structure dans un dispositif : rien à qui remettre.")
        )
    data = reports.annual_report_data(organization, year)
    now = timezone.now()
    with acting_as(actor), transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update()
            .filter(organization=organization, year=year)
            .first()
        ) or AnnualReport(organization=organization, year=year, updated_by=actor)
        if report.status in LOCKED:
            raise ValidationError(_locked_message(report))
        report.frozen = {f.indicator.code: f.current for f in data.figures}
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = now
        report.decided_at = None
        report.save()
        ReportEvent.objects.create(
            report=report,
            status=ReportStatus.SUBMITTED,
            at=now,
            by=actor,
            by_organization=organization,
        )
        link = reverse("indicators:annual_report", args=[organization.pk, year])
        for funder in deciders:
            notify(
                recipients=members_allowed(funder, "funding.decide"),
                organization=funder,
                kind=NotificationKind.REPORT_TO_VALIDATE,
                message=_("Bilan %(year)d de %(organization)s à valider.")
                % {"year": year, "organization": organization.name},
                link=link,
                key=f"report-{report.pk}-{now:%Y%m%d%H%M%S}",
            )
    return report


def decide_report(
    *, report: AnnualReport, approve: bool, actor: User, comment: str = ""
) -> AnnualReport:
    """The funder approves a handed-in report, or sends it back with what to complete."""
    deciders = [
        o for o in funder_organizations_of(report.organization) if can(actor, "funding.decide", o)
    ]
    if not deciders:
        raise PermissionDenied(
            _("Seul le financeur du dispositif décide du bilan et des versements.")
        )
    comment = (comment or "").strip()
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Seul un bilan remis peut être approuvé ou renvoyé."))
    if not approve and not comment:
        raise ValidationError({"comment": _("Dites ce qu'il faut compléter ou corriger.")})
    if len(comment) > 5000:
        raise ValidationError({"comment": _("Le commentaire tient en 5 000 caractères au plus.")})
    now = timezone.now()
    status = ReportStatus.APPROVED if approve else ReportStatus.RETURNED
    with acting_as(actor), transaction.atomic():
        report.status, report.decided_at, report.comment = status, now, comment
        report.save()
        ReportEvent.objects.create(
            report=report,
            status=status,
            at=now,
            by=actor,
            by_organization=deciders[0],
            comment=comment,
        )
        notify(
            recipients=members_allowed(report.organization, "indicators.write_report"),
            organization=report.organization,
            kind=NotificationKind.REPORT_DECIDED,
            message=(
                _("Bilan %(year)d approuvé par %(funder)s.")
                if approve
                else _("Bilan %(year)d renvoyé par %(funder)s : à compléter.")
            )
            % {"year": report.year, "funder": deciders[0].name},
            link=reverse("indicators:annual_report", args=[report.organization_id, report.year]),
            key=f"report-{report.pk}-{status}-{now:%Y%m%d%H%M%S}",
        )
    return report


def set_target(
    *, program: Program, organization: Organization, year: int, indicator: str, value: float | None
) -> None:
    """The objective an organization has in a program for a year (set by its funder through an
    agreement); ``value`` None removes it. The dashboards and the report show it."""
    with transaction.atomic():
        if value is None:
            Target.objects.filter(
                program=program, organization=organization, year=year, indicator=indicator
            ).delete()
            return
        Target.objects.update_or_create(
            program=program,
            organization=organization,
            year=year,
            indicator=indicator,
            defaults={"value": value},
        )


# The longest period kept: a five-year agreement.
MAX_PERIOD_MONTHS = 60


def months_in(first_month: datetime.date, last_month: datetime.date) -> int:
    return (last_month.year - first_month.year) * 12 + last_month.month - first_month.month + 1


def track_period(*, first_month: datetime.date, last_month: datetime.date) -> ReportingPeriod:
    """Keep the figures of this run of whole months (computed in the background, then after each
    change in one of its months). The same period asked twice is kept once."""
    from ancrage.indicators.queries import FIRST_YEAR
    from ancrage.indicators.tasks import refresh_reporting_periods

    if first_month.day != 1 or last_month.day != 1:
        raise ValidationError(_("Une période va du premier d'un mois au dernier d'un autre."))
    if last_month < first_month:
        raise ValidationError(
            {"last_month": _("Le dernier mois précède le premier.")}, code="ordered"
        )
    if first_month.year < FIRST_YEAR or last_month.year > timezone.localdate().year + 5:
        raise ValidationError(
            {
                "first_month": _("Une période commence en %(year)s au plus tôt.")
                % {"year": FIRST_YEAR}
            }
        )
    if months_in(first_month, last_month) > MAX_PERIOD_MONTHS:
        raise ValidationError(
            {"last_month": _("Une période compte %(n)s mois au plus.") % {"n": MAX_PERIOD_MONTHS}}
        )
    period, created = ReportingPeriod.objects.get_or_create(
        first_month=first_month, last_month=last_month
    )
    if period.computed_at is None:
        transaction.on_commit(refresh_reporting_periods.enqueue)
    return period

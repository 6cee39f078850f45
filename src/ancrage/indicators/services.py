"""Writes of the indicators app besides its rollups: the qualitative sections of an annual report."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ancrage.accounts.models import Organization
from ancrage.accounts.permissions import require
from ancrage.core.actor import acting_as
from ancrage.indicators.models import AnnualReport

if TYPE_CHECKING:
    from ancrage.accounts.models import User


def save_annual_report(
    *, organization: Organization, year: int, obstacles: str, analysis: str, actor: User
) -> AnnualReport:
    """Write (or rewrite) the team's sections of the organization's annual report for ``year``."""
    require(actor, "indicators.write_report", organization)
    with acting_as(actor), transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update()
            .filter(organization=organization, year=year)
            .first()
        ) or AnnualReport(organization=organization, year=year)
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

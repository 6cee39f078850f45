"""Writes of the indicators app besides its rollups: the qualitative sections of an annual report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

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

"""Reads of the funding app: what blocks a balance, what a year costs, who may decide."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import get_for_user, require
from ancrage.core.money import format_number
from ancrage.funding.enums import InstallmentKind, InstallmentStatus
from ancrage.funding.models import Agreement, AgreementYear, Installment, Objective
from ancrage.indicators.definitions import INDICATORS
from ancrage.indicators.enums import ReportStatus
from ancrage.indicators.queries import annual_report_of


def get_agreement_for_user(user, agreement_id, *, decide: bool = False) -> Agreement:
    """The agreement if one of the user's organizations is a party (404 otherwise); ``decide``
    also needs the funder's deciding role in the funder (403)."""
    agreement = get_for_user(
        Agreement.objects.visible_to(user).select_related("funder", "beneficiary", "program"),
        agreement_id,
        user,
    )
    if decide:
        require(user, "funding.decide", agreement.funder)
    return agreement


def year_amount(agreement: Agreement, year: int) -> int:
    """The cents granted for ``year`` (0 when the year has no amount)."""
    row = AgreementYear.objects.filter(agreement=agreement, year=year).first()
    return row.amount_cents if row else 0


def advances_of(agreement: Agreement, year: int) -> int:
    return (
        Installment.objects.filter(
            agreement=agreement, year=year, kind=InstallmentKind.ADVANCE
        ).aggregate(total=Sum("amount_cents"))["total"]
        or 0
    )


def balance_blockers(agreement: Agreement, year: int) -> list[str]:
    """Why the balance of ``year`` cannot be paid yet, in French; empty when it can: the year's
    report approved by the funder, and each objective reached at the agreement's share (on the
    figures handed in with the report)."""
    report = annual_report_of(agreement.beneficiary, year)
    if report is None or report.status != ReportStatus.APPROVED:
        state = report.get_status_display().lower() if report else _("pas encore rédigé")
        return [
            _("Le bilan %(year)d n'est pas approuvé (état : %(state)s).")
            % {"year": year, "state": state}
        ]
    blockers = []
    for objective in Objective.objects.filter(agreement=agreement, year=year):
        reached = report.frozen.get(objective.indicator)
        share = 100.0 * (reached or 0) / objective.value
        if share + 1e-9 < agreement.objectives_percent:
            indicator = INDICATORS.get(objective.indicator)
            label = indicator.label if indicator else objective.indicator
            blockers.append(
                _(
                    "Objectif « %(label)s » : %(reached)s pour %(target)s (%(share)s %%), "
                    "il en faut %(required)d %%."
                )
                % {
                    "label": label,
                    "reached": format_number(reached or 0),
                    "target": format_number(objective.value),
                    "share": format_number(share),
                    "required": agreement.objectives_percent,
                }
            )
    return blockers


@dataclass
class YearBudget:
    year: int
    granted: int
    paid: int
    planned: int  # planned or requested, not yet paid
    blockers: list[str]

    @property
    def left(self) -> int:
        return self.granted - self.paid - self.planned


def budget_of(agreement: Agreement) -> list[YearBudget]:
    """Year by year: granted, paid, still to pay, and what blocks the balance."""
    amounts = {a.year: a.amount_cents for a in agreement.amounts.all()}
    paid: dict[int, int] = {}
    planned: dict[int, int] = {}
    for installment in agreement.installments.all():
        bucket = paid if installment.status == InstallmentStatus.PAID else planned
        bucket[installment.year] = bucket.get(installment.year, 0) + installment.amount_cents
    return [
        YearBudget(
            year,
            amounts.get(year, 0),
            paid.get(year, 0),
            planned.get(year, 0),
            balance_blockers(agreement, year),
        )
        for year in agreement.years
    ]


def grants_of(funder_ids) -> Any:
    """The agreements of these funders, for the open-data export (oldest first)."""
    return (
        Agreement.objects.filter(funder_id__in=funder_ids)
        .select_related("funder", "beneficiary")
        .prefetch_related("amounts")
        .order_by("starts_on", "id")
    )

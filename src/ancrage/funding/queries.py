"""Reads of the funding app: what blocks a balance, what a year costs, who may decide."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import can, get_for_user, organizations_where, require
from ancrage.core.money import format_number
from ancrage.funding.enums import ApplicationStatus, InstallmentKind, InstallmentStatus
from ancrage.funding.models import (
    Agreement,
    AgreementYear,
    Application,
    Call,
    Installment,
    Objective,
)
from ancrage.indicators.definitions import INDICATORS
from ancrage.indicators.enums import ReportStatus
from ancrage.indicators.queries import annual_report_of
from ancrage.partnerships.grants import Grant


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


# --- Calls for applications ----------------------------------------------------------------------


def published_calls():
    """Calls on the public page: published, newest closing first."""
    return (
        Call.objects.filter(published_at__isnull=False)
        .select_related("funder", "program", "territory")
        .order_by("-closes_at", "id")
    )


def calls_for(user):
    """The calls a member sees besides the public ones: those of its funders (drafts included)
    and those it reviews."""
    mine = organizations_where(user, "organization.view")
    return (
        Call.objects.filter(Q(funder__in=mine) | Q(reviewers=user) | Q(published_at__isnull=False))
        .distinct()
        .select_related("funder", "program", "territory")
        .order_by("-closes_at", "id")
    )


def get_call_for_user(user, call_id, *, decide: bool = False) -> Call:
    """A published call, or a draft for the funder's members (404 otherwise); ``decide`` needs
    the funder's deciding role (403)."""
    call = get_for_user(calls_for(user), call_id, user)
    if decide:
        require(user, "funding.decide", call.funder)
    return call


def followed_calls(user, organization):
    """The calls the organization publishes as a funder and those the user reviews for one of its
    funders (one query)."""
    mine = organizations_where(user, "organization.view")
    return (
        Call.objects.filter(Q(funder=organization) | Q(reviewers=user, funder__in=mine))
        .distinct()
        .select_related("funder", "program", "territory")
        .order_by("-closes_at", "id")
    )


def is_reviewer(user, call: Call) -> bool:
    return call.reviewers.filter(pk=user.pk).exists() and can(
        user, "organization.view", call.funder
    )


def applications_for(user):
    """Applications the user may read: its organizations' own, those of the calls its funder
    runs (deciding members) and those of the calls it reviews (submitted ones)."""
    own = organizations_where(user, "organization.view")
    deciding = organizations_where(user, "funding.decide")
    return (
        Application.objects.filter(
            Q(applicant__in=own)
            | Q(call__funder__in=deciding, submitted_at__isnull=False)
            | Q(call__reviewers=user, submitted_at__isnull=False, call__funder__in=own)
        )
        .distinct()
        .select_related("call", "call__funder", "applicant", "agreement")
    )


def get_application_for_user(user, application_id) -> Application:
    return get_for_user(applications_for(user), application_id, user)


def call_granted_cents(call: Call) -> int:
    """What the call's selected applications were granted over their agreements (the envelope's
    use)."""
    return (
        AgreementYear.objects.filter(
            agreement__in=Application.objects.filter(
                call=call, status=ApplicationStatus.SELECTED
            ).values("agreement_id")
        ).aggregate(total=Sum("amount_cents"))["total"]
        or 0
    )


@dataclass
class Ranked:
    application: Application
    score: float | None  # out of 100: weighted mean of the reviewers' scores
    reviews: int
    conflicts: int
    rank: int | None = None


def ranking(call: Call) -> list[Ranked]:
    """The call's submitted (and decided) applications, best weighted score first: each review
    gives Σ weight × score / max ÷ Σ weight, the reviews are averaged; a reviewer who declared a
    conflict of interest does not count. Two queries whatever the number of applications."""
    criteria = list(call.criteria.all())
    total_weight = sum(c.weight for c in criteria) or 1
    applications = list(
        call.applications.exclude(status=ApplicationStatus.DRAFT)
        .select_related("applicant")
        .prefetch_related("reviews")
    )
    ranked = []
    for application in applications:
        marks, conflicts = [], 0
        for review in application.reviews.all():
            if review.conflict_of_interest:
                conflicts += 1
                continue
            weighted = sum(
                c.weight * review.scores.get(str(c.pk), 0) / c.max_score for c in criteria
            )
            marks.append(100.0 * weighted / total_weight)
        score = sum(marks) / len(marks) if marks else None
        ranked.append(Ranked(application, score, len(marks), conflicts))
    ranked.sort(key=lambda r: (r.score is None, -(r.score or 0), r.application.applicant.name))
    for position, entry in enumerate(ranked, start=1):
        entry.rank = position if entry.score is not None else None
    return ranked


@dataclass
class BudgetLine:
    funder: str
    beneficiary: str
    program: str
    year: int
    granted: int = 0
    paid: int = 0
    planned: int = 0
    agreements: int = 0

    @property
    def left(self) -> int:
        return self.granted - self.paid - self.planned

    @property
    def used_percent(self) -> float | None:
        return 100.0 * self.paid / self.granted if self.granted else None


def budget_lines(organizations) -> list[BudgetLine]:
    """The grants of these organizations (ids or a queryset) by program, funder, beneficiary and
    year — as funders and as beneficiaries: granted, paid, planned or requested, left. Two
    queries, whatever the number of organizations."""
    from django.db.models import Count

    agreements = Agreement.objects.filter(
        Q(funder__in=organizations) | Q(beneficiary__in=organizations)
    )
    lines: dict[tuple, BudgetLine] = {}
    key_fields = ("funder__name", "beneficiary__name", "program__name")
    for row in (
        AgreementYear.objects.filter(agreement__in=agreements)
        .values(*(f"agreement__{f}" for f in key_fields), "year")
        .annotate(total=Sum("amount_cents"), n=Count("agreement", distinct=True))
        .order_by()
    ):
        key = (*(row[f"agreement__{f}"] for f in key_fields), row["year"])
        line = lines.setdefault(key, BudgetLine(*key))
        line.granted += row["total"] or 0
        line.agreements += row["n"]
    for row in (
        Installment.objects.filter(agreement__in=agreements)
        .values(*(f"agreement__{f}" for f in key_fields), "year", "status")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    ):
        key = (*(row[f"agreement__{f}"] for f in key_fields), row["year"])
        line = lines.setdefault(key, BudgetLine(*key))
        if row["status"] == InstallmentStatus.PAID:
            line.paid += row["total"] or 0
        else:
            line.planned += row["total"] or 0
    return sorted(lines.values(), key=lambda b: (-b.year, b.program, b.funder, b.beneficiary))


def grants_in_partner_agreements(partner_agreement_ids: list[int]) -> dict[int, list[Grant]]:
    """The grants tied to each agreement between partners (``partnerships.grants`` provider)."""
    rows = (
        Agreement.objects.filter(partner_agreement_id__in=partner_agreement_ids)
        .select_related("funder", "beneficiary", "program")
        .annotate(total=Sum("amounts__amount_cents"))
        .order_by("starts_on", "id")
    )
    grants: dict[int, list[Grant]] = {}
    for agreement in rows:
        grants.setdefault(cast(int, agreement.partner_agreement_id), []).append(
            Grant(
                funder_id=agreement.funder_id,
                beneficiary_id=agreement.beneficiary_id,
                funder=agreement.funder.name,
                beneficiary=agreement.beneficiary.name,
                starts_on=agreement.starts_on,
                ends_on=agreement.ends_on,
                total_cents=agreement.total or 0,
                reference=str(agreement),
                url=reverse("funding:agreement_detail", args=[agreement.pk]),
            )
        )
    return grants

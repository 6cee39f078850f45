"""Writes of the funding app: agreements, their amounts and objectives, installments."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import can, require
from ancrage.core.actor import acting_as
from ancrage.core.money import format_euros
from ancrage.core.validation import check_day
from ancrage.funding import queries
from ancrage.funding.enums import MAX_ADVANCE_PERCENT, InstallmentKind, InstallmentStatus
from ancrage.funding.models import Agreement, AgreementYear, Installment, Objective
from ancrage.indicators import services as indicators
from ancrage.indicators.definitions import INDICATORS
from ancrage.programs.queries import participant_role

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User
    from ancrage.programs.models import Program

MAX_CENTS = 10**12  # ten billion euros: anything above is a typing error


def _cents(value: int, field: str) -> int:
    if value is None or value <= 0:
        raise ValidationError({field: _("Indiquez un montant positif.")})
    if value > MAX_CENTS:
        raise ValidationError({field: _("Montant invraisemblable.")})
    return value


def create_agreement(
    *,
    funder: Organization,
    beneficiary: Organization,
    program: Program,
    subject: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    amounts: dict[int, int],
    actor: User,
    objectives_percent: int = 100,
    signed_on: datetime.date | None = None,
) -> Agreement:
    """The funder's agreement with an organization of a program it funds, with the amount of each
    year (in cents)."""
    require(actor, "funding.decide", funder)
    errors: dict[str, str] = {}
    if participant_role(program, funder) != "funder":
        errors["program"] = _("Votre structure ne finance pas ce dispositif.")
    if participant_role(program, beneficiary) not in ("operator", "partner"):
        errors["beneficiary"] = _(
            "Cette structure ne porte pas ce dispositif et n'y participe pas."
        )
    subject = (subject or "").strip()
    if not subject:
        errors["subject"] = _("Indiquez l'objet de la convention.")
    if errors:
        raise ValidationError(errors)
    check_day(starts_on, field="starts_on", label=_("Début"), future_years=10)
    check_day(ends_on, field="ends_on", label=_("Fin"), future_years=10)
    check_day(signed_on, field="signed_on", label=_("Date de signature"), future_years=None)
    if ends_on < starts_on:
        errors["ends_on"] = _("La fin précède le début.")
    if not 0 <= objectives_percent <= 100:
        errors["objectives_percent"] = _("La part des objectifs va de 0 à 100 %.")
    if errors:
        raise ValidationError(errors)
    years = range(starts_on.year, ends_on.year + 1)
    outside = sorted(set(amounts) - set(years))
    if outside:
        raise ValidationError(
            {"amounts": _("L'année %(year)d est hors de la convention.") % {"year": outside[0]}}
        )
    if not amounts:
        raise ValidationError({"amounts": _("Indiquez le montant d'au moins une année.")})
    with acting_as(actor), transaction.atomic():
        agreement = Agreement(
            funder=funder,
            beneficiary=beneficiary,
            program=program,
            subject=subject,
            starts_on=starts_on,
            ends_on=ends_on,
            objectives_percent=objectives_percent,
            signed_on=signed_on,
            created_by=actor,
        )
        agreement.full_clean()
        agreement.save()
        for year, cents in sorted(amounts.items()):
            AgreementYear.objects.create(
                agreement=agreement, year=year, amount_cents=_cents(cents, "amounts")
            )
    return agreement


def set_objective(
    *, agreement: Agreement, year: int, indicator: str, value: float | None, actor: User
) -> Objective | None:
    """The funder's objective for an indicator in a year of the agreement (``None`` removes it);
    the organization's dashboard and annual report show it."""
    require(actor, "funding.decide", agreement.funder)
    if year not in agreement.years:
        raise ValidationError(
            {
                "year": _("L'année %(year)d est hors de la convention (%(first)d – %(last)d).")
                % {"year": year, "first": agreement.years[0], "last": agreement.years[-1]}
            }
        )
    if indicator not in INDICATORS:
        raise ValidationError({"indicator": _("Indicateur inconnu.")})
    if value is not None and not 0 < value <= 10**9:
        raise ValidationError({"value": _("Un objectif est un nombre positif.")})
    with acting_as(actor), transaction.atomic():
        indicators.set_target(
            program=agreement.program,
            organization=agreement.beneficiary,
            year=year,
            indicator=indicator,
            value=value,
        )
        if value is None:
            Objective.objects.filter(agreement=agreement, year=year, indicator=indicator).delete()
            return None
        objective, _created = Objective.objects.update_or_create(
            agreement=agreement, year=year, indicator=indicator, defaults={"value": value}
        )
    return objective


def plan_installment(
    *,
    agreement: Agreement,
    year: int,
    kind: str,
    amount_cents: int,
    planned_on: datetime.date,
    actor: User,
) -> Installment:
    """An advance (at most 80 % of the year together with the other advances) or the balance
    (what the advances leave of the year)."""
    require(actor, "funding.decide", agreement.funder)
    if kind not in InstallmentKind.values:
        raise ValidationError({"kind": _("Choisissez avance ou solde.")})
    granted = queries.year_amount(agreement, year)
    if not granted:
        raise ValidationError({"year": _("Cette année n'a pas de montant dans la convention.")})
    amount_cents = _cents(amount_cents, "amount_cents")
    check_day(planned_on, field="planned_on", label=_("Date prévue"), future_years=10)
    advances = queries.advances_of(agreement, year)
    if kind == InstallmentKind.ADVANCE:
        ceiling = granted * MAX_ADVANCE_PERCENT // 100
        if advances + amount_cents > ceiling:
            raise ValidationError(
                {
                    "amount_cents": _(
                        "L'avance dépasse %(percent)d %% du montant de l'année : %(ceiling)s au "
                        "plus, dont %(already)s déjà prévus."
                    )
                    % {
                        "percent": MAX_ADVANCE_PERCENT,
                        "ceiling": format_euros(ceiling / 100),
                        "already": format_euros(advances / 100),
                    }
                }
            )
    else:
        if agreement.installments.filter(year=year, kind=InstallmentKind.BALANCE).exists():
            raise ValidationError({"kind": _("Le solde de cette année est déjà prévu.")})
        if amount_cents > granted - advances:
            raise ValidationError(
                {
                    "amount_cents": _("Le solde dépasse ce que laissent les avances : %(left)s.")
                    % {"left": format_euros((granted - advances) / 100)}
                }
            )
    with acting_as(actor), transaction.atomic():
        installment = Installment(
            agreement=agreement,
            year=year,
            kind=kind,
            amount_cents=amount_cents,
            planned_on=planned_on,
        )
        installment.full_clean()
        installment.save()
    return installment


def _check_balance(installment: Installment) -> None:
    if installment.kind == InstallmentKind.BALANCE:
        blockers = queries.balance_blockers(installment.agreement, installment.year)
        if blockers:
            raise ValidationError(blockers)


def request_installment(*, installment: Installment, on: datetime.date, actor: User) -> Installment:
    """The organization asks for a planned installment (a balance only once it is payable)."""
    agreement = installment.agreement
    if not (
        can(actor, "indicators.write_report", agreement.beneficiary)
        or can(actor, "funding.decide", agreement.funder)
    ):
        require(actor, "indicators.write_report", agreement.beneficiary)
    if installment.status != InstallmentStatus.PLANNED:
        raise ValidationError(_("Seul un versement prévu peut être demandé."))
    check_day(on, field="on", label=_("Date de la demande"), future_years=None)
    _check_balance(installment)
    with acting_as(actor), transaction.atomic():
        installment.status, installment.requested_on = InstallmentStatus.REQUESTED, on
        installment.save()
    return installment


def pay_installment(*, installment: Installment, on: datetime.date, actor: User) -> Installment:
    """The funder records the payment; a paid installment never changes again."""
    require(actor, "funding.decide", installment.agreement.funder)
    if installment.status == InstallmentStatus.PAID:
        raise ValidationError(_("Ce versement est déjà fait : il ne change plus."))
    check_day(on, field="on", label=_("Date du versement"), future_years=None)
    _check_balance(installment)
    with acting_as(actor), transaction.atomic():
        installment.status = InstallmentStatus.PAID
        installment.paid_on = on
        installment.save()
    return installment

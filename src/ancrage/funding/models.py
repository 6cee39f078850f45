"""Grants paid on results: the agreement between a funder and an organization for a program, its
yearly amounts and objectives, and the installments paid on it. Amounts are in cents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ancrage.core.models import TimeStampedModel
from ancrage.funding.enums import InstallmentKind, InstallmentStatus


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Agreements of the organizations where the user is a member (funder or beneficiary)."""
        from ancrage.accounts.permissions import organizations_where

        mine = organizations_where(user, "organization.view")
        return self.filter(Q(funder_id__in=mine) | Q(beneficiary_id__in=mine))


class Agreement(TimeStampedModel):
    """A funder's multi-year agreement with an organization for a program."""

    funder = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("financeur")
    )
    beneficiary = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("bénéficiaire")
    )
    program = models.ForeignKey(
        "programs.Program", models.PROTECT, related_name="+", verbose_name=_("dispositif")
    )
    subject = models.CharField(_("objet"), max_length=500)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    signed_on = models.DateField(_("signée le"), null=True, blank=True)
    objectives_percent = models.PositiveSmallIntegerField(
        _("part des objectifs exigée pour le solde (%)"),
        default=100,
        help_text=_("100 : chaque objectif atteint ; 80 : chacun atteint à 80 % au moins."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisie par"),
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("La fin précède le début."),
            ),
            models.CheckConstraint(
                condition=Q(objectives_percent__gte=0) & Q(objectives_percent__lte=100),
                name="%(app_label)s_%(class)s_objectives_percent",
                violation_error_message=_("La part des objectifs va de 0 à 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return f"Convention {self.program} — {self.beneficiary}"

    @property
    def reference(self) -> str:
        """The decision's reference in exports (the funder's own numbering is not known here)."""
        return f"ANCRAGE-{self.pk}"

    @property
    def years(self) -> list[int]:
        return list(range(self.starts_on.year, self.ends_on.year + 1))


class AgreementYear(models.Model):
    """The amount granted for one calendar year of the agreement."""

    agreement = models.ForeignKey(
        Agreement, models.CASCADE, related_name="amounts", verbose_name=_("convention")
    )
    year = models.PositiveSmallIntegerField(_("année"))
    amount_cents = models.BigIntegerField(_("montant (centimes)"))

    class Meta:
        verbose_name = _("montant annuel")
        verbose_name_plural = _("montants annuels")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year"],
                name="%(app_label)s_%(class)s_once_a_year",
                violation_error_message=_("Cette année a déjà son montant."),
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0),
                name="%(app_label)s_%(class)s_positive",
                violation_error_message=_("Le montant est positif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} : {self.amount_cents / 100:.2f} €"


class Objective(models.Model):
    """The figure the funder expects for an indicator in a year (the report's « Objectif »)."""

    agreement = models.ForeignKey(
        Agreement, models.CASCADE, related_name="objectives", verbose_name=_("convention")
    )
    year = models.PositiveSmallIntegerField(_("année"))
    indicator = models.CharField(_("indicateur"), max_length=40)
    value = models.FloatField(_("objectif"))

    class Meta:
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        ordering = ["year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year", "indicator"],
                name="%(app_label)s_%(class)s_once",
                violation_error_message=_("Cet objectif existe déjà pour cette année."),
            ),
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="%(app_label)s_%(class)s_positive",
                violation_error_message=_("Un objectif est positif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year} : {self.value:g}"


class Installment(TimeStampedModel):
    """A payment of the agreement: planned, requested by the organization, paid by the funder. A
    paid installment never changes; a correction is a new installment."""

    agreement = models.ForeignKey(
        Agreement, models.PROTECT, related_name="installments", verbose_name=_("convention")
    )
    year = models.PositiveSmallIntegerField(_("année"))
    kind = models.CharField(_("nature"), max_length=10, choices=InstallmentKind.choices)
    amount_cents = models.BigIntegerField(_("montant (centimes)"))
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=InstallmentStatus.choices,
        default=InstallmentStatus.PLANNED,
    )
    planned_on = models.DateField(_("prévu le"))
    requested_on = models.DateField(_("demandé le"), null=True, blank=True)
    paid_on = models.DateField(_("versé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("versement")
        verbose_name_plural = _("versements")
        ordering = ["year", "planned_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InstallmentKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Nature de versement inconnue."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=InstallmentStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("État de versement inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0),
                name="%(app_label)s_%(class)s_positive",
                violation_error_message=_("Le montant est positif."),
            ),
            models.CheckConstraint(
                condition=~Q(status=InstallmentStatus.PAID) | Q(paid_on__isnull=False),
                name="%(app_label)s_%(class)s_paid_has_date",
                violation_error_message=_("Un versement fait a sa date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} : {self.amount_cents / 100:.2f} €"

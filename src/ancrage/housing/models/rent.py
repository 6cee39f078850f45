"""Charges (rent due per period), third-party payments (housing allowances) and payments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import TimeStampedModel, external_ref_field, unique_external_ref
from ancrage.housing.enums import (
    AllowanceSource,
    PaymentMethod,
)
from ancrage.housing.models.bookings import Booking


class Charge(TimeStampedModel):
    """What an occupant owes for one month of a booking (avis d'échéance), computed, never typed."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    booking = models.ForeignKey(
        Booking, models.PROTECT, related_name="charges", verbose_name=_("réservation")
    )
    person = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="charges", verbose_name=_("occupant·e")
    )
    month = models.DateField(_("mois"), help_text=_("Le premier jour du mois."))
    label = models.CharField(_("libellé"), max_length=200)
    amount = models.DecimalField(_("montant (€)"), max_digits=9, decimal_places=2)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("échéance")
        verbose_name_plural = _("échéances")
        ordering = ["month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "month"],
                name="%(app_label)s_%(class)s_once_per_month",
                violation_error_message=_("L'échéance de ce mois existe déjà."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="%(app_label)s_%(class)s_amount_not_negative",
                violation_error_message=_("Une échéance ne peut pas être négative."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="%(app_label)s_%(class)s_month_first_day",
                violation_error_message=_("Le mois se note par son premier jour."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} : {self.amount} €"


class ThirdPartyPayment(TimeStampedModel):
    """A housing allowance (APL, Mobili-Jeune…) paid to the manager for an occupant and a month."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    person = models.ForeignKey(
        "people.Person",
        models.PROTECT,
        related_name="third_party_payments",
        verbose_name=_("occupant·e"),
    )
    source = models.CharField(_("tiers payant"), max_length=16, choices=AllowanceSource.choices)
    month = models.DateField(_("mois"))
    amount = models.DecimalField(_("montant (€)"), max_digits=9, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("aide versée en tiers payant")
        verbose_name_plural = _("aides versées en tiers payant")
        ordering = ["month", "id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="%(app_label)s_%(class)s_amount_positive",
                violation_error_message=_("Le montant doit être positif."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="%(app_label)s_%(class)s_month_first_day",
                violation_error_message=_("Le mois se note par son premier jour."),
            ),
            models.CheckConstraint(
                condition=Q(source__in=AllowanceSource.values),
                name="%(app_label)s_%(class)s_source_valid",
                violation_error_message=_("Tiers payant inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.month:%m/%Y} : {self.amount} €"


class Payment(TimeStampedModel):
    """A payment by the occupant."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    person = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="payments", verbose_name=_("occupant·e")
    )
    paid_on = models.DateField(_("payé le"))
    amount = models.DecimalField(_("montant (€)"), max_digits=9, decimal_places=2)
    method = models.CharField(_("moyen de paiement"), max_length=16, choices=PaymentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["paid_on", "id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="%(app_label)s_%(class)s_amount_positive",
                violation_error_message=_("Le montant doit être positif."),
            ),
            models.CheckConstraint(
                condition=Q(method__in=PaymentMethod.values),
                name="%(app_label)s_%(class)s_method_valid",
                violation_error_message=_("Moyen de paiement inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return f"Paiement du {self.paid_on:%d/%m/%Y} : {self.amount} €"

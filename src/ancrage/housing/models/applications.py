"""Housing applications to a residence and the rules of its waiting list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import TimeStampedModel, external_ref_field, unique_external_ref
from ancrage.housing.enums import (
    ApplicationStatus,
    Granularity,
)
from ancrage.housing.models.bookings import Booking
from ancrage.housing.models.calendars import Rhythm
from ancrage.housing.models.residences import Residence


class HousingApplication(TimeStampedModel):
    """A person's request (made with a counsellor) for a place in a residence."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    residence = models.ForeignKey(
        Residence, models.PROTECT, related_name="applications", verbose_name=_("résidence")
    )
    person = models.ForeignKey(
        "people.Person",
        models.PROTECT,
        related_name="housing_applications",
        verbose_name=_("demandeur·se"),
    )
    submitted_on = models.DateField(_("déposée le"))
    wished_from = models.DateField(_("souhaité à partir du"))
    wished_until = models.DateField(_("jusqu'au"), null=True, blank=True)
    granularity = models.CharField(
        _("durée souhaitée"), max_length=8, choices=Granularity.choices, default=Granularity.MONTHS
    )
    rhythm = models.ForeignKey(
        Rhythm, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("rythme")
    )
    shares_unit = models.BooleanField(
        _("accepte de partager son logement"),
        default=True,
        help_text=_("Avec d'autres alternant·es présent·es les autres semaines."),
    )
    needs_accessible = models.BooleanField(
        _("a besoin d'un logement accessible PMR"), default=False
    )
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    booking = models.ForeignKey(
        Booking,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("réservation obtenue"),
    )
    closed_on = models.DateField(_("close le"), null=True, blank=True)
    note = models.CharField(_("précision"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("saisie par"),
    )

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("demande de logement")
        verbose_name_plural = _("demandes de logement")
        ordering = ["submitted_on", "id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("État inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(wished_until__isnull=True)
                | Q(wished_until__gt=models.F("wished_from")),
                name="%(app_label)s_%(class)s_wished_dates_ordered",
                violation_error_message=_("La fin souhaitée doit suivre le début."),
            ),
            models.UniqueConstraint(
                fields=["residence", "person"],
                condition=Q(status="pending"),
                name="%(app_label)s_%(class)s_one_pending_per_residence",
                violation_error_message=_(
                    "Cette personne a déjà une demande en attente pour cette résidence."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="pending", closed_on__isnull=True)
                | (~Q(status="pending") & Q(closed_on__isnull=False)),
                name="%(app_label)s_%(class)s_closed_iff_not_pending",
                violation_error_message=_(
                    "Une demande close a une date de clôture, et seulement elle."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Demande de {self.person} pour {self.residence}"


class WaitingListRule(models.Model):
    """One criterion of a residence's waiting list: its weight and whether it is mandatory."""

    residence = models.ForeignKey(
        Residence, models.CASCADE, related_name="waiting_list_rules", verbose_name=_("résidence")
    )
    code = models.CharField(_("critère"), max_length=20)
    weight = models.PositiveSmallIntegerField(_("points"), default=0)
    mandatory = models.BooleanField(_("obligatoire"), default=False)

    class Meta:
        verbose_name = _("critère de la liste d'attente")
        verbose_name_plural = _("critères de la liste d'attente")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["residence", "code"],
                name="%(app_label)s_%(class)s_once_per_residence",
                violation_error_message=_("Ce critère est déjà configuré."),
            ),
            models.CheckConstraint(
                condition=Q(weight__lte=100),
                name="%(app_label)s_%(class)s_weight_max",
                violation_error_message=_("De 0 à 100 points."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.weight})"

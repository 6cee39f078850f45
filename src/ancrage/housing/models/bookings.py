"""Bookings of a bed and the periods they cover."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import TimeStampedModel, external_ref_field, unique_external_ref
from ancrage.housing.enums import (
    BookingStatus,
    Granularity,
)
from ancrage.housing.models.calendars import Rhythm
from ancrage.housing.models.residences import Bed


class BookingQuerySet(TeamScopedQuerySet):
    def active(self):
        return self.filter(status=BookingStatus.ACTIVE)


class Booking(TimeStampedModel):
    """A person's occupancy of a bed: a set of weeks, whole months, or from a date without end.

    The days it covers are its ``periods`` ([starts_on, ends_on), ends_on empty when open-ended).
    """

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    person = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="bookings", verbose_name=_("occupant·e")
    )
    bed = models.ForeignKey(Bed, models.PROTECT, related_name="bookings", verbose_name=_("lit"))
    granularity = models.CharField(_("durée"), max_length=8, choices=Granularity.choices)
    status = models.CharField(
        _("état"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.ACTIVE
    )
    rhythm = models.ForeignKey(
        Rhythm,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("rythme d'alternance"),
    )
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au (exclu)"), null=True, blank=True)
    lease = models.ForeignKey(
        "Lease",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("bail"),
    )
    note = models.CharField(_("précision"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("réservée par"),
    )
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        ordering = ["starts_on", "id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(granularity__in=Granularity.values),
                name="%(app_label)s_%(class)s_granularity_valid",
                violation_error_message=_("Durée inconnue."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=BookingStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("État inconnu."),
            ),
            models.CheckConstraint(
                condition=(Q(granularity=Granularity.OPEN) & Q(ends_on__isnull=True))
                | (~Q(granularity=Granularity.OPEN) & Q(ends_on__gt=models.F("starts_on"))),
                name="%(app_label)s_%(class)s_end_matches_granularity",
                violation_error_message=_(
                    "Une réservation sans date de fin n'en a pas ; les autres finissent après leur début."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Réservation de {self.person} — {self.bed}"


class BookingPeriod(models.Model):
    """One run of consecutive days of a booking on a bed: [starts_on, ends_on)."""

    booking = models.ForeignKey(
        Booking, models.CASCADE, related_name="periods", verbose_name=_("réservation")
    )
    bed = models.ForeignKey(Bed, models.PROTECT, related_name="periods", verbose_name=_("lit"))
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au (exclu)"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("période réservée")
        verbose_name_plural = _("périodes réservées")
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["bed", "starts_on"], name="housing_period_bed_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("La fin doit suivre le début."),
            ),
        ]

    def __str__(self) -> str:
        end = f"{self.ends_on:%d/%m/%Y}" if self.ends_on else "…"
        return f"{self.starts_on:%d/%m/%Y} → {end}"

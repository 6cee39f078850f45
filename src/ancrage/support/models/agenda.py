"""Appointments and the calendar feeds counsellors subscribe to."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import TimeStampedModel, external_ref_field, unique_external_ref
from ancrage.support.enums import (
    AppointmentStatus,
)
from ancrage.support.models.contacts import Desk


class Appointment(TimeStampedModel):
    """A meeting between a counsellor and a person, in the counsellor's calendar."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    person = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="appointments", verbose_name=_("personne")
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="appointments",
        verbose_name=_("conseiller·ère"),
    )
    starts_at = models.DateTimeField(_("date et heure"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=45)
    desk = models.ForeignKey(
        Desk,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("permanence délocalisée"),
    )
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    purpose = models.CharField(
        _("objet"),
        max_length=200,
        blank=True,
        help_text=_("Visible dans l'application seulement, jamais dans l'agenda exporté."),
    )
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.PLANNED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("fixé par"),
    )

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["counsellor", "starts_at"], name="support_appt_counsellor_date")
        ]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(status__in=AppointmentStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("État inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0) & Q(duration_minutes__lte=8 * 60),
                name="%(app_label)s_%(class)s_duration_plausible",
                violation_error_message=_("La durée va d'une minute à 8 heures."),
            ),
        ]

    def __str__(self) -> str:
        return f"Rendez-vous du {timezone.localtime(self.starts_at):%d/%m/%Y à %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def where(self) -> str:
        return appointment_place(self.desk.name if self.desk_id else "", self.place)


def appointment_place(desk: str | None, place: str | None) -> str:
    """Where an appointment is held: « Permanence de Lens — bureau 2 », either alone, or nothing."""
    return " — ".join(part for part in (desk, place) if part)


class CalendarFeed(models.Model):
    """A private address where a counsellor's calendar app reads their appointments (iCal).

    Calendar apps cannot log in, so the address itself is the secret: only its SHA-256 is kept,
    the address is shown once, and generating a new one revokes the old.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("titulaire"),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière lecture"), null=True, blank=True)

    class Meta:
        verbose_name = _("lien d'agenda")
        verbose_name_plural = _("liens d'agenda")

    def __str__(self) -> str:
        return f"Agenda de {self.user}"

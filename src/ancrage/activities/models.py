"""Collective actions: workshops, information sessions, events, fairs, and who attended them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.activities.enums import ActivityKind
from ancrage.core.models import TimeStampedModel, external_ref_field, unique_external_ref


class Activity(TimeStampedModel):
    """A collective action an organization runs, once or as a series of sessions."""

    organization = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="activities",
        verbose_name=_("structure"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("intitulé"), max_length=150)
    description = models.TextField(_("présentation"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("en cours"), default=True)
    # The life of a residence: its activities, held in its common spaces, open to its residents.
    residence = models.ForeignKey(
        "housing.Residence",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("résidence"),
    )
    # A resident who proposed it (the residents' portal will let them propose; the staff may
    # record it meanwhile).
    proposed_by = models.ForeignKey(
        "people.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposée par"),
    )

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("action collective")
        verbose_name_plural = _("actions collectives")
        ordering = ["title", "id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(kind__in=ActivityKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Type d'action inconnu."),
            ),
            models.UniqueConstraint(
                fields=["organization", "title"],
                name="%(app_label)s_%(class)s_unique_title",
                violation_error_message=_("Une action collective porte déjà cet intitulé."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Session(TimeStampedModel):
    """One occurrence of an activity: a date, a place, the people who came and those not named."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="sessions", verbose_name=_("action collective")
    )
    starts_at = models.DateTimeField(_("date et heure"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=120)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    desk = models.ForeignKey(
        "support.Desk",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("permanence délocalisée"),
    )
    # The slot it takes in a residence's common space (freed when the session is cancelled).
    space_booking = models.OneToOneField(
        "housing.SpaceBooking",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="session",
        verbose_name=_("créneau de l'espace commun"),
    )
    anonymous_count = models.PositiveIntegerField(
        _("participant·es non nommé·es"),
        default=0,
        help_text=_("Personnes venues sans être inscrites nommément (salon, forum…)."),
    )
    note = models.CharField(_("précision"), max_length=300, blank=True)

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["-starts_at", "-id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0) & Q(duration_minutes__lte=24 * 60),
                name="%(app_label)s_%(class)s_duration_plausible",
                violation_error_message=_("La durée va d'une minute à 24 heures."),
            ),
            models.CheckConstraint(
                condition=~Q(place="") | Q(desk__isnull=False),
                name="%(app_label)s_%(class)s_has_place",
                violation_error_message=_("Indiquez le lieu ou la permanence."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} — {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def where(self) -> str:
        if self.desk_id and self.place:
            return f"{self.desk.name} — {self.place}"
        return self.desk.name if self.desk_id else self.place


class Attendance(models.Model):
    """A named person came to a session."""

    session = models.ForeignKey(
        Session, models.CASCADE, related_name="attendances", verbose_name=_("séance")
    )
    person = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="attendances", verbose_name=_("personne")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("saisie par"),
    )
    created_at = models.DateTimeField(_("saisie le"), auto_now_add=True)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        ordering = ["person__last_name", "person__first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                name="%(app_label)s_%(class)s_once_per_session",
                violation_error_message=_("Cette personne est déjà notée présente."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} à {self.session}"


class Registration(models.Model):
    """A person signed up for a session (before it: attendance says who came)."""

    session = models.ForeignKey(
        Session, models.CASCADE, related_name="registrations", verbose_name=_("séance")
    )
    person = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="+", verbose_name=_("personne")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("inscrite par"),
    )
    created_at = models.DateTimeField(_("inscrite le"), auto_now_add=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                name="%(app_label)s_%(class)s_once_per_session",
                violation_error_message=_("Cette personne est déjà inscrite."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} à {self.session}"

"""The common spaces of a residence (common room, garden, laundry…) and the slots booked in them.

No two active bookings of one space overlap: a PostgreSQL exclusion constraint and, on SQLite,
triggers (migration ``0011_common_spaces``) hold it in the database, whatever the code does."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import TimeStampedModel
from ancrage.housing.enums import CommonSpaceKind
from ancrage.housing.models.residences import Residence

SPACE_OVERLAP_CONSTRAINT = "housing_spacebooking_no_overlap"


class CommonSpace(TimeStampedModel):
    """A room or an outdoor space the residents share, with its own calendar."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    residence = models.ForeignKey(
        Residence, models.CASCADE, related_name="spaces", verbose_name=_("résidence")
    )
    kind = models.CharField(_("type d'espace"), max_length=20, choices=CommonSpaceKind.choices)
    name = models.CharField(_("nom"), max_length=100)
    capacity = models.PositiveSmallIntegerField(_("capacité (personnes)"), null=True, blank=True)
    bookable = models.BooleanField(
        _("se réserve"),
        default=True,
        help_text=_("Une laverie ou un local vélos ne se réservent pas forcément."),
    )
    is_active = models.BooleanField(_("ouvert"), default=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("espace commun")
        verbose_name_plural = _("espaces communs")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["residence", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("Un espace de cette résidence porte déjà ce nom."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CommonSpaceKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Type d'espace inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1, capacity__lte=1000),
                name="%(app_label)s_%(class)s_capacity_plausible",
                violation_error_message=_("La capacité va de 1 à 1000 personnes."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SpaceBooking(TimeStampedModel):
    """A slot taken in a common space: by the staff, for an activity's session, or for a
    resident ([starts_at, ends_at), touching slots do not overlap)."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    space = models.ForeignKey(
        CommonSpace, models.CASCADE, related_name="bookings", verbose_name=_("espace")
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    purpose = models.CharField(_("objet"), max_length=150)
    person = models.ForeignKey(
        "people.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pour le ou la résident·e"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("réservé par"),
    )
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("réservation d'un espace commun")
        verbose_name_plural = _("réservations d'espaces communs")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["space", "starts_at"], name="housing_spacebooking_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("La fin doit suivre le début."),
            ),
            models.CheckConstraint(
                condition=Q(is_active=True, cancelled_at__isnull=True)
                | Q(is_active=False, cancelled_at__isnull=False),
                name="%(app_label)s_%(class)s_cancelled_iff_inactive",
                violation_error_message=_("Une réservation annulée a sa date d'annulation."),
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{self.space} — {start:%d/%m/%Y %H:%M}–{end:%H:%M}"

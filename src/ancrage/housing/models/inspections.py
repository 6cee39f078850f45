"""Inventories of fixtures at entry and exit, element by element."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import TimeStampedModel, external_ref_field, unique_external_ref
from ancrage.housing.enums import (
    InspectionKind,
    ItemCondition,
)
from ancrage.housing.models.leases import Lease
from ancrage.housing.models.residences import Unit


class Inspection(TimeStampedModel):
    """An état des lieux at entry or exit, room by room; an exit points to the entry it is compared with."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="inspections", verbose_name=_("logement")
    )
    person = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="inspections", verbose_name=_("occupant·e")
    )
    lease = models.ForeignKey(
        Lease,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("bail"),
    )
    kind = models.CharField(_("type"), max_length=6, choices=InspectionKind.choices)
    done_on = models.DateField(_("réalisé le"))
    entry = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="exit_inspection",
        verbose_name=_("état des lieux d'entrée comparé"),
    )
    note = models.TextField(_("observations"), max_length=2000, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("réalisé par"),
    )

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("état des lieux")
        verbose_name_plural = _("états des lieux")
        ordering = ["-done_on", "-id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(kind__in=InspectionKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Type d'état des lieux inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(kind=InspectionKind.EXIT) | Q(entry__isnull=True),
                name="%(app_label)s_%(class)s_entry_only_for_exit",
                violation_error_message=_(
                    "Seul un état des lieux de sortie se compare à une entrée."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.done_on:%d/%m/%Y}"


# Rows of one inspection: a large home's every element, and a bound on what a form or a call may send.
MAX_INSPECTION_ITEMS = 200


class InspectionItem(models.Model):
    """The condition of one element of one room."""

    inspection = models.ForeignKey(
        Inspection, models.CASCADE, related_name="items", verbose_name=_("état des lieux")
    )
    room = models.CharField(_("pièce"), max_length=80)
    element = models.CharField(_("élément"), max_length=80)
    condition = models.CharField(_("état"), max_length=6, choices=ItemCondition.choices)
    comment = models.CharField(_("commentaire"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("élément de l'état des lieux")
        verbose_name_plural = _("éléments de l'état des lieux")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "room", "element"],
                name="%(app_label)s_%(class)s_once_per_room_element",
                violation_error_message=_("Cet élément de cette pièce est déjà décrit."),
            ),
            models.CheckConstraint(
                condition=Q(condition__in=ItemCondition.values),
                name="%(app_label)s_%(class)s_condition_valid",
                violation_error_message=_("État inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room} — {self.element} : {self.get_condition_display()}"

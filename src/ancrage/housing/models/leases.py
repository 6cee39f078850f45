"""Leases (sub-lets, sliding leases) and the conditions a sliding lease must meet."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import TimeStampedModel, external_ref_field, unique_external_ref
from ancrage.housing.enums import (
    LeaseKind,
    LeaseStatus,
)
from ancrage.housing.models.residences import Unit


class Lease(TimeStampedModel):
    """The contract behind an occupancy; a sub-let may be a sliding lease (bail glissant) that passes
    to the occupant once its conditions are met. Status changes only through ``housing.services``."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    person = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="leases", verbose_name=_("occupant·e")
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="leases", verbose_name=_("logement")
    )
    kind = models.CharField(_("type de bail"), max_length=20, choices=LeaseKind.choices)
    status = models.CharField(
        _("état"), max_length=8, choices=LeaseStatus.choices, default=LeaseStatus.DRAFT
    )
    starts_on = models.DateField(_("prise d'effet"))
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    monthly_rent = models.DecimalField(_("loyer mensuel (€)"), max_digits=8, decimal_places=2)
    monthly_charges = models.DecimalField(
        _("charges mensuelles (€)"), max_digits=8, decimal_places=2
    )
    deposit = models.DecimalField(_("dépôt de garantie (€)"), max_digits=8, decimal_places=2)
    is_sliding = models.BooleanField(
        _("bail glissant"),
        default=False,
        help_text=_("Sous-location destinée à passer au nom de l'occupant·e."),
    )
    planned_slide_on = models.DateField(_("glissement prévu le"), null=True, blank=True)
    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    slid_on = models.DateField(_("glissé le"), null=True, blank=True)
    slid_into = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="slid_from",
        verbose_name=_("bail au nom de l'occupant·e"),
    )

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("bail")
        verbose_name_plural = _("baux")
        ordering = ["-starts_on", "id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(kind__in=LeaseKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Type de bail inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=LeaseStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("État inconnu."),
            ),
            models.CheckConstraint(
                condition=~Q(is_sliding=True) | Q(kind=LeaseKind.SUBLET),
                name="%(app_label)s_%(class)s_sliding_is_sublet",
                violation_error_message=_("Seule une sous-location peut être un bail glissant."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=LeaseKind.MOBILITY) | Q(ends_on__isnull=False),
                name="%(app_label)s_%(class)s_mobility_has_end",
                violation_error_message=_("Un bail mobilité a une date de fin."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("La fin doit suivre la prise d'effet."),
            ),
            models.CheckConstraint(
                condition=~Q(status=LeaseStatus.SLID) | Q(slid_on__isnull=False, is_sliding=True),
                name="%(app_label)s_%(class)s_slid_has_date",
                violation_error_message=_("Un bail glissé a une date de glissement."),
            ),
            models.CheckConstraint(
                condition=Q(monthly_rent__gte=0) & Q(monthly_charges__gte=0) & Q(deposit__gte=0),
                name="%(app_label)s_%(class)s_amounts_not_negative",
                violation_error_message=_("Les montants ne peuvent pas être négatifs."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.unit} ({self.get_status_display().lower()})"


class SlideCondition(models.Model):
    """One condition of a sliding lease's checklist, ticked with the date it was met."""

    lease = models.ForeignKey(
        Lease, models.CASCADE, related_name="conditions", verbose_name=_("bail")
    )
    label = models.CharField(_("condition"), max_length=200)
    met_on = models.DateField(_("remplie le"), null=True, blank=True)

    class Meta:
        verbose_name = _("condition de glissement")
        verbose_name_plural = _("conditions de glissement")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label

"""Residences, their units and the beds of each unit."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory, TimeStampedModel, external_ref_field, unique_external_ref
from ancrage.housing.enums import (
    ResidenceKind,
    Typology,
    UnitStatus,
)


class ResidenceQuerySet(TeamScopedQuerySet):
    def in_territory(self, territory):
        """Residences whose commune is the territory or lies in it (EPCI, département, région)."""
        field = {
            TerritoryKind.COMMUNE: "commune",
            TerritoryKind.EPCI: "commune__epci",
            TerritoryKind.DEPARTEMENT: "commune__departement",
            TerritoryKind.REGION: "commune__region",
        }[territory.kind]
        return self.filter(**{field: territory})

    def territories(self):
        """The communes, EPCIs, départements and régions these residences lie in, largest first."""
        communes = self.exclude(commune=None).values("commune")
        ids = set()
        for field in ("id", "epci_id", "departement_id", "region_id"):
            ids |= set(
                Territory.objects.filter(pk__in=communes)
                .exclude(**{field: None})
                .values_list(field, flat=True)
            )
        order = [
            TerritoryKind.REGION,
            TerritoryKind.DEPARTEMENT,
            TerritoryKind.EPCI,
            TerritoryKind.COMMUNE,
        ]
        return sorted(
            Territory.objects.filter(pk__in=ids),
            key=lambda t: (order.index(t.kind), t.name),
        )


class Residence(TimeStampedModel):
    """A building or set of units run as one by a managing organization."""

    organization = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="residences",
        verbose_name=_("gestionnaire"),
    )
    landlord = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bailleur propriétaire"),
    )
    name = models.CharField(_("nom"), max_length=150)
    kind = models.CharField(_("type de résidence"), max_length=20, choices=ResidenceKind.choices)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    commune = models.ForeignKey(
        "core.Territory",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    staff_presence = models.CharField(
        _("présence du personnel sur place"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : mardi et jeudi, 9 h – 17 h."),
    )
    house_rules = models.TextField(_("règlement intérieur"), max_length=5000, blank=True)

    objects = ResidenceQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("résidence")
        verbose_name_plural = _("résidences")
        ordering = ["name", "id"]
        constraints = [
            unique_external_ref(),
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("Une résidence porte déjà ce nom."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ResidenceKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Type de résidence inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def space_kinds(self) -> list[str]:
        """The kinds of its open common spaces (prefetch ``spaces``)."""
        return list(dict.fromkeys(space.kind for space in self.spaces.all() if space.is_active))


class Unit(TimeStampedModel):
    """A dwelling that can be let, with one or more beds."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    residence = models.ForeignKey(
        Residence, models.CASCADE, related_name="units", verbose_name=_("résidence")
    )
    reference = models.CharField(_("référence"), max_length=30)
    typology = models.CharField(_("typologie"), max_length=8, choices=Typology.choices)
    surface = models.DecimalField(
        _("surface (m²)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    floor = models.SmallIntegerField(_("étage"), default=0)
    furnished = models.BooleanField(_("meublé"), default=True)
    accessibility = models.JSONField(_("accessibilité"), default=list, blank=True)
    monthly_rent = models.DecimalField(_("loyer mensuel (€)"), max_digits=8, decimal_places=2)
    monthly_charges = models.DecimalField(
        _("charges mensuelles (€)"), max_digits=8, decimal_places=2, default=0
    )
    weekly_price = models.DecimalField(
        _("prix à la semaine (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Laisser vide si le logement ne se loue pas à la semaine."),
    )
    deposit = models.DecimalField(
        _("dépôt de garantie (€)"), max_digits=8, decimal_places=2, default=0
    )
    status = models.CharField(
        _("état"), max_length=16, choices=UnitStatus.choices, default=UnitStatus.AVAILABLE
    )
    in_service_on = models.DateField(
        _("en service depuis le"),
        null=True,
        blank=True,
        help_text=_("Vide : depuis toujours. Une semaine compte si son lundi y est."),
    )
    out_of_service_on = models.DateField(
        _("hors service à partir du"),
        null=True,
        blank=True,
        help_text=_("Vide : toujours en service (démolition, vente, fin de bail…)."),
    )

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("logement")
        verbose_name_plural = _("logements")
        ordering = ["residence", "reference", "id"]
        constraints = [
            unique_external_ref(),
            models.UniqueConstraint(
                fields=["residence", "reference"],
                name="%(app_label)s_%(class)s_unique_reference",
                violation_error_message=_(
                    "Un logement de la résidence porte déjà cette référence."
                ),
            ),
            models.CheckConstraint(
                condition=Q(monthly_rent__gte=0)
                & Q(monthly_charges__gte=0)
                & Q(deposit__gte=0)
                & (Q(weekly_price__isnull=True) | Q(weekly_price__gte=0)),
                name="%(app_label)s_%(class)s_amounts_not_negative",
                violation_error_message=_("Les montants ne peuvent pas être négatifs."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=UnitStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("État inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(in_service_on__isnull=True)
                | Q(out_of_service_on__isnull=True)
                | Q(out_of_service_on__gt=F("in_service_on")),
                name="%(app_label)s_%(class)s_out_after_in",
                violation_error_message=_("La sortie de service doit suivre la mise en service."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.residence} — {self.reference}"

    def in_service(self, monday: datetime.date) -> bool:
        """Whether the week of ``monday`` counts in the unit's capacity (its Monday is in the
        unit's service dates)."""
        return (self.in_service_on is None or self.in_service_on <= monday) and (
            self.out_of_service_on is None or monday < self.out_of_service_on
        )


class Bed(models.Model):
    """A place in a unit; a studio has one, a shared flat several. Bookings are per bed."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="beds", verbose_name=_("logement"))
    label = models.CharField(
        _("lit"), max_length=30, blank=True, help_text=_("Vide quand le logement n'a qu'un lit.")
    )

    class Meta:
        verbose_name = _("lit")
        verbose_name_plural = _("lits")
        ordering = ["unit", "label", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "label"],
                name="%(app_label)s_%(class)s_unique_label",
                violation_error_message=_("Ce logement a déjà un lit de ce nom."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.label})" if self.label else str(self.unit)

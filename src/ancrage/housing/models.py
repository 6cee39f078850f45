"""Residences, units and their beds, bookings by week, by month or open-ended, and rhythms.

No two active booking periods of one bed overlap: a PostgreSQL exclusion constraint and, on SQLite,
triggers (migration ``0002_no_overlapping_periods``) hold it in the database, whatever the code does.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory, TimeStampedModel
from ancrage.housing.enums import (
    TEMPLATE_CYCLES,
    AllowanceSource,
    ApplicationStatus,
    BookingStatus,
    Granularity,
    InspectionKind,
    ItemCondition,
    LeaseKind,
    LeaseStatus,
    PaymentMethod,
    ResidenceKind,
    RhythmTemplate,
    Typology,
    UnitStatus,
)


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def iso_week_label(monday: datetime.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"S{week:02d} {year}"


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
    common_spaces = models.JSONField(_("espaces communs"), default=list, blank=True)
    staff_presence = models.CharField(
        _("présence du personnel sur place"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : mardi et jeudi, 9 h – 17 h."),
    )
    house_rules = models.TextField(_("règlement intérieur"), max_length=5000, blank=True)

    objects = ResidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("résidence")
        verbose_name_plural = _("résidences")
        ordering = ["name", "id"]
        constraints = [
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

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("logement")
        verbose_name_plural = _("logements")
        ordering = ["residence", "reference", "id"]
        constraints = [
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
        ]

    def __str__(self) -> str:
        return f"{self.residence} — {self.reference}"


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


class Rhythm(TimeStampedModel):
    """An apprentice's alternation: school weeks and employer weeks, from a template or custom."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    person = models.ForeignKey(
        "people.Person", models.CASCADE, related_name="rhythms", verbose_name=_("alternant·e")
    )
    name = models.CharField(
        _("nom"), max_length=100, help_text=_("Par exemple : BTS MCO 2026-2027.")
    )
    template = models.CharField(_("rythme"), max_length=8, choices=RhythmTemplate.choices)
    first_school_week = models.DateField(
        _("première semaine à l'école"), help_text=_("Le lundi de la première semaine à l'école.")
    )
    ends_on = models.DateField(_("fin du contrat ou de l'année"))
    custom_school_weeks = models.JSONField(
        _("semaines à l'école (calendrier personnalisé)"), default=list, blank=True
    )
    calendar = models.ForeignKey(
        "SchoolCalendar",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="rhythms",
        verbose_name=_("calendrier d'école"),
    )

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rythme d'alternance")
        verbose_name_plural = _("rythmes d'alternance")
        ordering = ["-first_school_week", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(template__in=RhythmTemplate.values),
                name="%(app_label)s_%(class)s_template_valid",
                violation_error_message=_("Rythme inconnu."),
            ),
            models.CheckConstraint(
                condition=(Q(template="calendar") & Q(calendar__isnull=False))
                | (~Q(template="calendar") & Q(calendar__isnull=True)),
                name="%(app_label)s_%(class)s_calendar_iff_imported",
                violation_error_message=_(
                    "Un rythme importé renvoie à son calendrier d'école, et seulement lui."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("first_school_week")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("La fin doit suivre la première semaine à l'école."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.template})"

    def school_weeks(self, start=None, end=None) -> list[datetime.date]:
        """Mondays of the school weeks within [start, end) (the whole rhythm by default)."""
        start = monday_of(start) if start else self.first_school_week
        end = min(end, self.ends_on) if end else self.ends_on
        if self.template == RhythmTemplate.CALENDAR:
            weeks = sorted(datetime.date.fromisoformat(w) for w in self.calendar.weeks)
        elif self.template == RhythmTemplate.CUSTOM:
            weeks = sorted(datetime.date.fromisoformat(w) for w in self.custom_school_weeks)
        else:
            school, company = TEMPLATE_CYCLES[RhythmTemplate(self.template)]
            cycle = school + company
            weeks = []
            monday = self.first_school_week
            index = 0
            while monday < self.ends_on:
                if index % cycle < school:
                    weeks.append(monday)
                monday += datetime.timedelta(weeks=1)
                index += 1
        return [w for w in weeks if start <= w < end and w >= self.first_school_week]


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

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        ordering = ["starts_on", "id"]
        constraints = [
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

    class Meta:
        verbose_name = _("aide versée en tiers payant")
        verbose_name_plural = _("aides versées en tiers payant")
        ordering = ["month", "id"]
        constraints = [
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

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["paid_on", "id"]
        constraints = [
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

    class Meta:
        verbose_name = _("bail")
        verbose_name_plural = _("baux")
        ordering = ["-starts_on", "id"]
        constraints = [
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

    class Meta:
        verbose_name = _("état des lieux")
        verbose_name_plural = _("états des lieux")
        ordering = ["-done_on", "-id"]
        constraints = [
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

    class Meta:
        verbose_name = _("demande de logement")
        verbose_name_plural = _("demandes de logement")
        ordering = ["submitted_on", "id"]
        constraints = [
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


class SchoolCalendar(TimeStampedModel):
    """The school weeks of one school's class for a year, imported from CSV or iCal, shared by the
    rhythms of its apprentices."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    school = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("école ou CFA"),
    )
    name = models.CharField(
        _("nom"), max_length=150, help_text=_("Par exemple : BTS MCO 1re année 2026-2027.")
    )
    weeks = models.JSONField(_("semaines à l'école"), default=list)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendrier d'école")
        verbose_name_plural = _("calendriers d'école")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("Un calendrier porte déjà ce nom."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

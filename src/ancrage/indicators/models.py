"""Rollup tables: figures already computed, read by dashboards, reports and the API.

``Aggregate`` holds one figure per indicator × period (month or year) × scope (an organization, an
organization in a program, a program, a program on a territory, a territory, France) × category (empty
for the total, ``dimension:value`` for a breakdown). They are rebuilt by ``indicators.rollup`` —
never typed in, never computed from raw rows at request time.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ancrage.indicators.enums import Grain, ReportStatus, Scope


class Aggregate(models.Model):
    indicator = models.CharField(_("indicateur"), max_length=40)
    grain = models.CharField(_("pas"), max_length=5, choices=Grain.choices)
    period = models.DateField(_("période"), help_text=_("Premier jour du mois ou de l'année."))
    scope = models.CharField(_("périmètre"), max_length=20, choices=Scope.choices)
    # The figures are read by the indexes below (scope first); an index of each foreign key
    # alone would serve only the deletion of an organization or a program (never of a
    # territory) and cost each refresh a third of its writing: a day's entries nationally
    # change 85,000 figures of the month and as many of the year. For the same reason the
    # database keeps no foreign-key constraint on them (as for outreach targets, ADR 0014):
    # checking 180,000 written rows against three tables at each commit cost 1 s of a 14 s
    # refresh. The figures are computed from the organizations, programs and territories the
    # refresh has just read; deleting one goes through Django, which deletes its figures
    # (organization, program) or refuses (territory) as before.
    organization = models.ForeignKey(
        "accounts.Organization",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure"),
        db_index=False,
        db_constraint=False,
    )
    program = models.ForeignKey(
        "programs.Program",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dispositif"),
        db_index=False,
        db_constraint=False,
    )
    territory = models.ForeignKey(
        "core.Territory",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("territoire"),
        db_index=False,
        db_constraint=False,
    )
    last_month = models.DateField(
        _("dernier mois"),
        null=True,
        blank=True,
        help_text=_("Pour une période : son dernier mois."),
    )
    category = models.CharField(_("catégorie"), max_length=60, blank=True, default="")
    value = models.FloatField(_("valeur"))
    denominator = models.FloatField(_("dénominateur"), null=True, blank=True)

    class Meta:
        verbose_name = _("valeur d'indicateur")
        verbose_name_plural = _("valeurs d'indicateurs")
        indexes = [
            models.Index(
                fields=["scope", "organization", "grain", "period"], name="indicators_agg_org"
            ),
            models.Index(
                fields=["scope", "program", "territory", "grain", "period"],
                name="indicators_agg_program",
            ),
            models.Index(fields=["grain", "period"], name="indicators_agg_period"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period:%Y-%m} {self.scope} = {self.value}"


class MonthFacts(models.Model):
    """What one month of a distinct count was counted from: its facts, packed as arrays (who, in
    which organization and program, in which categories).

    A year (or a reporting period) counts its distinct people again from its stored months instead of
    reading a year of raw rows: refreshing a month reads that month only. Rebuilt with the month's
    figures; never read by pages.
    """

    indicator = models.CharField(_("indicateur"), max_length=40)
    month = models.DateField(_("mois"))
    # Set: the facts of the months from ``first_month`` to ``month`` already joined (each person
    # with their last month's categories), so that refreshing this month's next one reads one row
    # instead of eleven; valid for the programs' calendar it was joined with (``context``). A year
    # keeps two runs: up to the month before its last, and up to the one before that.
    first_month = models.DateField(_("premier mois"), null=True, blank=True)
    context = models.CharField(_("empreinte des dispositifs"), max_length=64, blank=True)
    rows = models.PositiveIntegerField(_("faits"))
    scheme = models.PositiveSmallIntegerField(
        _("codage"),
        default=1,
        help_text=_("Version du codage des clés : un mois d'un autre codage est recompté."),
    )
    categories = models.JSONField(_("catégories"), default=list)
    data = models.BinaryField(_("faits (tableaux)"))

    class Meta:
        verbose_name = _("faits d'un mois")
        verbose_name_plural = _("faits des mois")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "month"],
                condition=models.Q(first_month__isnull=True),
                name="indicators_monthfacts_unique",
            ),
            models.UniqueConstraint(
                fields=["indicator", "first_month", "month"],
                condition=models.Q(first_month__isnull=False),
                name="indicators_monthfacts_unique_run",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%Y-%m} ({self.rows})"


class StaleMonth(models.Model):
    """A month whose figures changed since the last refresh (marked by signals, cleared by a refresh)."""

    month = models.DateField(_("mois"), unique=True)
    marked_at = models.DateTimeField(_("marqué le"), auto_now=True)

    class Meta:
        verbose_name = _("mois à recalculer")
        verbose_name_plural = _("mois à recalculer")

    def __str__(self) -> str:
        return f"{self.month:%m/%Y}"


class Refresh(models.Model):
    """One refresh of a month: when, how long, how many figures (its year is refreshed with it)."""

    month = models.DateField(_("mois"))
    finished_at = models.DateTimeField(_("terminé le"), auto_now_add=True)
    seconds = models.FloatField(_("durée (s)"))
    rows = models.PositiveIntegerField(_("valeurs écrites"))

    class Meta:
        verbose_name = _("actualisation")
        verbose_name_plural = _("actualisations")
        ordering = ["-finished_at"]
        get_latest_by = "finished_at"

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} ({self.seconds:.1f} s)"


class ReportingPeriod(models.Model):
    """A run of whole months whose figures are kept beside months and years (an agreement's
    period, a final report): registered when asked for, recomputed when one of its months changes."""

    first_month = models.DateField(_("premier mois"))
    last_month = models.DateField(_("dernier mois"))
    requested_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    computed_at = models.DateTimeField(
        _("calculée le"), null=True, blank=True, help_text=_("Vide : calcul à faire ou en cours.")
    )

    class Meta:
        verbose_name = _("période de bilan")
        verbose_name_plural = _("périodes de bilan")
        ordering = ["first_month", "last_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["first_month", "last_month"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message=_("Cette période existe déjà."),
            ),
            models.CheckConstraint(
                condition=Q(last_month__gte=F("first_month")),
                name="%(app_label)s_%(class)s_ordered",
                violation_error_message=_("Le dernier mois précède le premier."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_month:%m/%Y} – {self.last_month:%m/%Y}"


class Target(models.Model):
    """The figure a program (or one organization in it) aims at for a year."""

    indicator = models.CharField(_("indicateur"), max_length=40)
    program = models.ForeignKey(
        "programs.Program", models.CASCADE, related_name="+", verbose_name=_("dispositif")
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure"),
        help_text=_("Vide : l'objectif de tout le dispositif."),
    )
    year = models.PositiveSmallIntegerField(_("année"))
    value = models.FloatField(_("objectif"))

    class Meta:
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "program", "organization", "year"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message=_("Cet objectif existe déjà."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "program", "year"],
                condition=Q(organization=None),
                name="%(app_label)s_%(class)s_unique_program",
                violation_error_message=_("Cet objectif existe déjà pour le dispositif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year} : {self.value:g}"


class AnnualReport(models.Model):
    """The qualitative sections of an organization's annual report; figures come from the rollups."""

    organization = models.ForeignKey(
        "accounts.Organization", models.CASCADE, related_name="+", verbose_name=_("structure")
    )
    year = models.PositiveSmallIntegerField(_("année"))
    obstacles = models.TextField(_("freins rencontrés"), max_length=10000, blank=True)
    analysis = models.TextField(_("analyse et perspectives"), max_length=10000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifié par"),
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    status = models.CharField(
        _("état"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # The figures as handed in: {code: value}; the report shows them beside today's when the data
    # changed after the submission.
    frozen = models.JSONField(_("chiffres remis"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("remis le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    comment = models.TextField(_("commentaire du financeur"), max_length=5000, blank=True)

    class Meta:
        verbose_name = _("bilan annuel")
        verbose_name_plural = _("bilans annuels")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message=_("Ce bilan existe déjà."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("État de bilan inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return f"Bilan {self.year}"

    @property
    def due_on(self) -> datetime.date:
        """The first quarter of the following year (the CLLAJ's funders' rule)."""
        return datetime.date(self.year + 1, 3, 31)


class ReportEvent(models.Model):
    """One step of a report's way: handed in, sent back (with the funder's comment), approved."""

    report = models.ForeignKey(
        AnnualReport, models.CASCADE, related_name="events", verbose_name=_("bilan")
    )
    status = models.CharField(_("nouvel état"), max_length=10, choices=ReportStatus.choices)
    at = models.DateTimeField(_("le"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    by_organization = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="+",
        verbose_name=_("au nom de"),
    )
    comment = models.TextField(_("commentaire"), max_length=5000, blank=True)

    class Meta:
        verbose_name = _("étape d'un bilan")
        verbose_name_plural = _("étapes des bilans")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} le {self.at:%d/%m/%Y}"

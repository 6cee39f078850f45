"""Allocation runs: who shares which unit of a residence over a period, computed in the background."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.allocation.enums import Engine, RunStatus
from ancrage.core.models import TimeStampedModel
from ancrage.housing.models import Residence


class AllocationRun(TimeStampedModel):
    """One computation for a residence and a period; its proposal is kept as computed."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    # One residence, or every residence of the manager in a territory (commune, EPCI, département
    # or région): apprentices may then be placed in any residence they applied to.
    residence = models.ForeignKey(
        "housing.Residence",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="allocation_runs",
        verbose_name=_("résidence"),
    )
    territory = models.ForeignKey(
        "core.Territory",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("territoire"),
    )
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))
    engine = models.CharField(
        _("moteur"), max_length=8, choices=Engine.choices, default=Engine.HYBRID
    )
    time_limit = models.PositiveSmallIntegerField(_("temps de calcul maximal (s)"), default=20)
    ignore_priorities = models.BooleanField(
        _("ignorer les priorités"),
        default=False,
        help_text=_(
            "Pour une simulation : qui est logé·e quand tout le monde ne tient pas ne suit plus "
            "le classement de la liste d'attente."
        ),
    )
    status = models.CharField(
        _("état"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    result = models.JSONField(_("proposition"), default=dict, blank=True)
    error = models.CharField(_("erreur"), max_length=500, blank=True)
    # A run split into parts (AllocationPart): what assembling the proposal needs of the people
    # (name, applications, rank), kept until the last part is solved.
    pending = models.JSONField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("lancé par"),
    )

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calcul d'allocation")
        verbose_name_plural = _("calculs d'allocation")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("État inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("La fin doit suivre le début."),
            ),
            models.CheckConstraint(
                condition=Q(residence__isnull=False, territory__isnull=True)
                | Q(residence__isnull=True, territory__isnull=False),
                name="%(app_label)s_%(class)s_residence_or_territory",
                violation_error_message=_("Une résidence ou un territoire, pas les deux."),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="%(app_label)s_%(class)s_progress_max",
                violation_error_message=_("Avancement de 0 à 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Allocation {self.scope_label} du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"
        )

    @property
    def scope_label(self) -> str:
        if self.residence_id:
            return str(self.residence)
        return self.territory.name_and_kind

    def residences(self):
        """The residences the run packs: its residence, or the manager's in its territory."""

        if self.residence_id:
            return Residence.objects.filter(pk=self.residence_id)
        return Residence.objects.filter(organization_id=self.organization_id).in_territory(
            self.territory
        )

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED, RunStatus.ACCEPTED)


class AllocationPart(models.Model):
    """An independent cluster of a large run (apprentices and the units they may share, linked to
    no one else), solved by whichever worker takes it; the run is assembled when its last part is
    solved, and its parts are then deleted."""

    run = models.ForeignKey(AllocationRun, models.CASCADE, related_name="parts")
    position = models.PositiveIntegerField()
    # The cluster's instance (engine.model.Instance.to_json) and its share of the time limit.
    instance = models.JSONField()
    time_limit = models.FloatField()
    # Apprentice id → [unit id, bed]; null until solved.
    assignment = models.JSONField(null=True, blank=True)
    optimal = models.BooleanField(default=False)

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "position"], name="%(app_label)s_%(class)s_one_per_position"
            )
        ]

    def __str__(self) -> str:
        return f"Partie {self.position} du calcul {self.run_id}"

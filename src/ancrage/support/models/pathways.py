"""What a typed pathway records besides steps (1000 LIANES): the works of a home adaptation and
the milestones of an insertion pathway. Staying at home is followed through the exit and its
follow-ups; a home is recorded as adapted on the enrollment (``Enrollment.home_adapted_on``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import TimeStampedModel, external_ref_field, unique_external_ref
from ancrage.support.enums import JobContract, MilestoneKind, WorkKind
from ancrage.support.models.enrollments import Enrollment


def _created_by(label):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


class AdaptationWork(TimeStampedModel):
    """One piece of works in the person's home: planned on a date for an estimated cost, then
    done on a date for its real cost."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    enrollment = models.ForeignKey(
        Enrollment, models.CASCADE, related_name="works", verbose_name=_("accompagnement")
    )
    kind = models.CharField(_("travaux"), max_length=12, choices=WorkKind.choices)
    planned_on = models.DateField(_("prévus le"))
    done_on = models.DateField(_("réalisés le"), null=True, blank=True)
    cost = models.DecimalField(
        _("coût (€)"),
        max_digits=9,
        decimal_places=2,
        help_text=_("Estimé au devis, puis coût réel une fois les travaux faits."),
    )
    note = models.CharField(_("précision"), max_length=300, blank=True)
    created_by = _created_by(_("saisis par"))

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("travaux d'adaptation")
        verbose_name_plural = _("travaux d'adaptation")
        ordering = ["planned_on", "id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(kind__in=WorkKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Type de travaux inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(cost__gte=0),
                name="%(app_label)s_%(class)s_cost_not_negative",
                violation_error_message=_("Le coût ne peut pas être négatif."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class InsertionMilestone(TimeStampedModel):
    """A dated step of an insertion pathway: an orientation, a training entered, a job taken."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    enrollment = models.ForeignKey(
        Enrollment, models.CASCADE, related_name="milestones", verbose_name=_("accompagnement")
    )
    kind = models.CharField(_("étape"), max_length=12, choices=MilestoneKind.choices)
    on = models.DateField(_("date"))
    detail = models.CharField(
        _("organisme, formation ou employeur"),
        max_length=120,
        blank=True,
        help_text=_("Par exemple « France Travail Lens » ou « CAP cuisine — AFPA »."),
    )
    contract = models.CharField(
        _("contrat"), max_length=16, choices=JobContract.choices, blank=True
    )
    created_by = _created_by(_("saisie par"))

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("étape du parcours d'insertion")
        verbose_name_plural = _("étapes du parcours d'insertion")
        ordering = ["on", "id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(kind__in=MilestoneKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Étape inconnue."),
            ),
            models.CheckConstraint(
                condition=Q(contract="") | Q(kind=MilestoneKind.JOB),
                name="%(app_label)s_%(class)s_contract_only_for_a_job",
                violation_error_message=_(
                    "Un contrat ne se précise que pour une reprise d'emploi."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} le {self.on:%d/%m/%Y}"

"""Assessments of needs (diagnostic), coded: no free-text diagnosis."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import external_ref_field, unique_external_ref
from ancrage.support.enums import (
    ASSESSMENT_DOMAINS,
    AssessmentKind,
    HealthNeed,
    Priority,
    WorkKind,
)
from ancrage.support.models.enrollments import Enrollment


def _priority_field(label):
    return models.CharField(label, max_length=6, choices=Priority.choices, default=Priority.NONE)


class Assessment(models.Model):
    """A dated needs assessment (diagnostic) within an enrollment; repeatable."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    enrollment = models.ForeignKey(
        Enrollment, models.CASCADE, related_name="assessments", verbose_name=_("accompagnement")
    )
    kind = models.CharField(
        _("type"), max_length=8, choices=AssessmentKind.choices, default=AssessmentKind.NEEDS
    )
    assessed_on = models.DateField(_("date du diagnostic"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("réalisé par")
    )
    joint_with = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diagnostic conjoint avec"),
    )
    housing_priority = _priority_field(_("logement"))
    budget_priority = _priority_field(_("ressources et budget"))
    mobility_priority = _priority_field(_("mobilité"))
    health_priority = _priority_field(_("santé"))
    employment_priority = _priority_field(_("emploi / formation"))
    rights_priority = _priority_field(_("accès aux droits"))
    daily_life_priority = _priority_field(_("vie quotidienne"))
    health_needs = models.JSONField(_("besoins de santé (codés)"), default=list, blank=True)
    home_works = models.JSONField(
        _("aménagements préconisés (codés)"),
        default=list,
        blank=True,
        help_text=_("Évaluation de l'autonomie : les travaux que le logement demande."),
    )
    monthly_resources = models.DecimalField(
        _("ressources mensuelles (€)"), max_digits=9, decimal_places=2
    )
    housing_cost = models.DecimalField(
        _("coût du logement (€/mois)"),
        max_digits=9,
        decimal_places=2,
        default=0,
        help_text=_("Loyer et charges, aides au logement déduites."),
    )
    fixed_charges = models.DecimalField(
        _("charges fixes (€/mois)"),
        max_digits=9,
        decimal_places=2,
        default=0,
        help_text=_("Énergie, assurance, transport, téléphone, remboursements…"),
    )
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("diagnostic")
        verbose_name_plural = _("diagnostics")
        ordering = ["-assessed_on", "-id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(kind__in=AssessmentKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Type de diagnostic inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(monthly_resources__gte=0)
                & Q(housing_cost__gte=0)
                & Q(fixed_charges__gte=0),
                name="%(app_label)s_%(class)s_amounts_not_negative",
                violation_error_message=_("Les montants ne peuvent pas être négatifs."),
            ),
        ]

    def __str__(self) -> str:
        if self.kind == AssessmentKind.AUTONOMY:
            return f"Évaluation de l'autonomie du {self.assessed_on:%d/%m/%Y}"
        return f"Diagnostic du {self.assessed_on:%d/%m/%Y}"

    @property
    def disposable_income(self):
        """Reste à vivre: resources minus housing cost and fixed charges, per month."""
        return self.monthly_resources - self.housing_cost - self.fixed_charges

    def priorities(self) -> list[tuple[str, str, str]]:
        """(domain, label, priority label) for each domain of the grid."""
        return [
            (domain, label, getattr(self, f"get_{domain}_priority_display")())
            for domain, label in ASSESSMENT_DOMAINS
        ]

    def home_work_labels(self) -> list[str]:
        return [str(WorkKind(code).label) for code in self.home_works if code in WorkKind.values]

    def health_need_labels(self) -> list[str]:
        return [HealthNeed(code).label for code in self.health_needs if code in HealthNeed.values]

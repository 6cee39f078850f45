"""Partnerships around the people followed: first, an apprentice's contract — the school (CFA)
and the employer, which may have no account on Ancrage, the diploma, the dates, the rhythm.
Charters, agreements between partners and committees build on it (issue 22)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import TimeStampedModel, external_ref_field, unique_external_ref


class Apprenticeship(TimeStampedModel):
    """A person's apprenticeship contract, as the organization that follows them records it."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    person = models.ForeignKey(
        "people.Person",
        models.PROTECT,
        related_name="apprenticeships",
        verbose_name=_("apprenti·e"),
    )
    school = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("école (CFA)")
    )
    employer = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("employeur")
    )
    diploma = models.CharField(_("diplôme préparé"), max_length=150)
    starts_on = models.DateField(_("début du contrat"))
    ends_on = models.DateField(_("fin du contrat"))
    rhythm = models.ForeignKey(
        "housing.Rhythm",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rythme d'alternance"),
    )

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("contrat d'apprentissage")
        verbose_name_plural = _("contrats d'apprentissage")
        ordering = ["-starts_on", "id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="partnerships_apprenticeship_ends_after_start",
                violation_error_message=_("Le contrat finit après son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.diploma} — {self.employer}"

"""Steps (démarches) of an enrollment and the counsellors' notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import TimeStampedModel, external_ref_field, unique_external_ref
from ancrage.support.enums import (
    DONE_STEP_STATUSES,
    PENDING_STEP_STATUSES,
    NoteVisibility,
    StepKind,
    StepStatus,
)
from ancrage.support.models.enrollments import Enrollment


class Step(TimeStampedModel):
    """One administrative or practical action (démarche) within an enrollment."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    enrollment = models.ForeignKey(
        Enrollment, models.CASCADE, related_name="steps", verbose_name=_("accompagnement")
    )
    kind = models.CharField(_("démarche"), max_length=24, choices=StepKind.choices)
    status = models.CharField(
        _("état"), max_length=12, choices=StepStatus.choices, default=StepStatus.TODO
    )
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    done_on = models.DateField(_("obtenu ou refusé le"), null=True, blank=True)
    amount = models.DecimalField(
        _("montant (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    reference = models.CharField(
        _("référence"),
        max_length=40,
        blank=True,
        help_text=_(
            "Numéro unique SNE pour une demande de logement social, numéro de dossier sinon."
        ),
    )
    note = models.CharField(_("précision"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,  # the account may be gone (SET_NULL): the step must still move on
        related_name="+",
        verbose_name=_("créée par"),
    )

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("démarche")
        verbose_name_plural = _("démarches")
        ordering = ["status", "due_on", "id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(kind__in=StepKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Type de démarche inconnu."),
            ),
            models.CheckConstraint(
                condition=(Q(status__in=DONE_STEP_STATUSES) & Q(done_on__isnull=False))
                | (Q(status__in=PENDING_STEP_STATUSES) & Q(done_on__isnull=True)),
                name="%(app_label)s_%(class)s_done_on_iff_done",
                violation_error_message=_("Une démarche terminée a une date, et seulement elle."),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="%(app_label)s_%(class)s_amount_not_negative",
                violation_error_message=_("Le montant ne peut pas être négatif."),
            ),
            models.UniqueConstraint(
                fields=["organization", "reference"],
                condition=Q(kind="social_housing_request") & ~Q(reference=""),
                name="%(app_label)s_%(class)s_unique_sne_number",
                violation_error_message=_(
                    "Ce numéro unique SNE est déjà enregistré pour une autre demande."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in PENDING_STEP_STATUSES
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class NoteQuerySet(models.QuerySet):
    def readable_by(self, user, enrollment):
        """Team notes for the team; "référent seul" notes for their author and the referent only."""
        return self.filter(enrollment=enrollment).filter(
            Q(visibility=NoteVisibility.TEAM) | Q(author=user) | Q(enrollment__referent=user)
        )


class Note(models.Model):
    """A dated, factual note in an enrollment. Never exported; never shared with another organization."""

    enrollment = models.ForeignKey(
        Enrollment, models.CASCADE, related_name="notes", verbose_name=_("accompagnement")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("auteur·rice")
    )
    visibility = models.CharField(
        _("visible par"), max_length=8, choices=NoteVisibility.choices, default=NoteVisibility.TEAM
    )
    body = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(_("écrite le"), auto_now_add=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=NoteVisibility.values),
                name="%(app_label)s_%(class)s_visibility_valid",
                violation_error_message=_("Visibilité inconnue."),
            ),
        ]

    def __str__(self) -> str:
        return f"Note du {timezone.localtime(self.created_at):%d/%m/%Y}"

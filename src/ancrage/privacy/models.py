"""The RGPD lifecycle of an organization's files: how long they stay active, then archived, and the
rights requests of the people they are about."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.dates import add_months
from ancrage.core.models import TimeStampedModel
from ancrage.privacy.enums import RequestKind, RequestStatus

# CNIL, délibération 2023-095 (social and medico-social sector): the active base holds a file
# 2 years after the last contact at most; the intermediate archive, for a dispute, until the
# 5-year civil limitation period (code civil, art. 2224) runs out.
ARCHIVE_AFTER_MONTHS = (6, 24, 24)  # min, max, default
ANONYMISE_AFTER_MONTHS = (12, 60, 60)
ANSWER_WITHIN_MONTHS = 1  # GDPR art. 12(3): one month, two more when complex (said to the person)
EXTENSION_MONTHS = 2


class RetentionPolicy(models.Model):
    """An organization's durations, within the legal bounds (defaults when it has none)."""

    organization = models.OneToOneField(
        "accounts.Organization",
        models.CASCADE,
        related_name="retention_policy",
        verbose_name=_("structure"),
    )
    archive_after_months = models.PositiveSmallIntegerField(
        _("archiver après (mois sans activité)"),
        default=ARCHIVE_AFTER_MONTHS[2],
        validators=[
            MinValueValidator(ARCHIVE_AFTER_MONTHS[0]),
            MaxValueValidator(ARCHIVE_AFTER_MONTHS[1]),
        ],
        help_text=_("De 6 à 24 mois après le dernier contact ou la sortie (CNIL : 2 ans au plus)."),
    )
    anonymise_after_months = models.PositiveSmallIntegerField(
        _("anonymiser après (mois sans activité)"),
        default=ANONYMISE_AFTER_MONTHS[2],
        validators=[
            MinValueValidator(ANONYMISE_AFTER_MONTHS[0]),
            MaxValueValidator(ANONYMISE_AFTER_MONTHS[1]),
        ],
        help_text=_(
            "De 12 à 60 mois après le dernier contact : la fin de l'archive intermédiaire "
            "(prescription de 5 ans)."
        ),
    )

    class Meta:
        verbose_name = _("durées de conservation")
        verbose_name_plural = _("durées de conservation")
        constraints = [
            models.CheckConstraint(
                condition=Q(archive_after_months__gte=ARCHIVE_AFTER_MONTHS[0])
                & Q(archive_after_months__lte=ARCHIVE_AFTER_MONTHS[1])
                & Q(anonymise_after_months__lte=ANONYMISE_AFTER_MONTHS[1])
                & Q(anonymise_after_months__gt=models.F("archive_after_months")),
                name="%(app_label)s_%(class)s_within_bounds",
                violation_error_message=_("Durées hors des bornes légales."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.archive_after_months} / {self.anonymise_after_months} mois"

    def clean(self):
        super().clean()
        if (
            self.archive_after_months is not None
            and self.anonymise_after_months is not None
            and self.anonymise_after_months <= self.archive_after_months
        ):
            raise ValidationError(
                {
                    "anonymise_after_months": _(
                        "L'anonymisation vient après l'archivage : indiquez une durée plus longue."
                    )
                }
            )


class RightsRequest(TimeStampedModel):
    """A request a person made to exercise a right, its dates and its answer."""

    organization = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="rights_requests",
        verbose_name=_("structure"),
    )
    person = models.ForeignKey(
        "people.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="rights_requests",
        verbose_name=_("personne"),
    )
    kind = models.CharField(_("droit exercé"), max_length=16, choices=RequestKind.choices)
    received_on = models.DateField(_("reçue le"))
    due_on = models.DateField(_("réponse due le"), editable=False)
    extended = models.BooleanField(
        _("délai prolongé de deux mois"),
        default=False,
        help_text=_("Demande complexe ou nombreuses demandes : la personne en est informée."),
    )
    status = models.CharField(
        _("état"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    answered_on = models.DateField(_("répondue le"), null=True, blank=True)
    reason = models.CharField(
        _("motif"),
        max_length=300,
        blank=True,
        help_text=_("Motif d'un effacement ou d'un refus, sans information sur la personne."),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enregistrée par"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traitée par"),
    )

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande d'exercice de droits")
        verbose_name_plural = _("demandes d'exercice de droits")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RequestKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Droit inconnu."),
            ),
            models.CheckConstraint(
                condition=(Q(status=RequestStatus.OPEN) & Q(answered_on__isnull=True))
                | (~Q(status=RequestStatus.OPEN) & Q(answered_on__isnull=False)),
                name="%(app_label)s_%(class)s_answered_on_when_closed",
                violation_error_message=_("Une demande traitée a une date de réponse."),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "due_on"], name="privacy_req_due")
        ]

    def __str__(self) -> str:
        return f"Demande n° {self.pk} — {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        self.due_on = due_date(self.received_on, extended=self.extended)
        super().save(*args, **kwargs)

    def is_late(self, today: datetime.date) -> bool:
        return self.status == RequestStatus.OPEN and self.due_on < today


def due_date(received_on: datetime.date, *, extended: bool = False) -> datetime.date:
    return add_months(received_on, ANSWER_WITHIN_MONTHS + (EXTENSION_MONTHS if extended else 0))

"""Enrollments and their events, the exit and the follow-ups after it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import TimeStampedModel, external_ref_field, unique_external_ref
from ancrage.support.enums import (
    ADAPTATION_PATHWAYS,
    CLOSED_STATUSES,
    FOLLOW_UP_MONTHS,
    OPEN_STATUSES,
    EnrollmentStatus,
    ExitOutcome,
    FollowUpActivity,
    FollowUpHousing,
    FollowUpKind,
    Pathway,
)


class EnrollmentQuerySet(TeamScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Enrollment(TimeStampedModel):
    """A person followed by one organization, from the request to the exit.

    The status changes only through ``support.services`` (one function per transition, see
    ``docs/lifecycles.md``); each change is kept in ``EnrollmentEvent``.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="enrollments",
        verbose_name=_("structure"),
    )
    person = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="enrollments", verbose_name=_("personne")
    )
    program = models.ForeignKey(
        "programs.Program",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name=_("dispositif"),
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("référent·e")
    )
    status = models.CharField(
        _("étape"),
        max_length=12,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.REQUESTED,
    )
    pathway = models.CharField(
        _("parcours"), max_length=16, choices=Pathway.choices, blank=True, default=""
    )
    requested_on = models.DateField(_("demande le"))
    home_adapted_on = models.DateField(
        _("logement adapté le"),
        null=True,
        blank=True,
        help_text=_("Parcours d'adaptation : la date où le logement est adapté (travaux faits)."),
    )
    started_on = models.DateField(_("accompagnement depuis le"), null=True, blank=True)
    ended_on = models.DateField(_("terminé le"), null=True, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("accompagnement")
        verbose_name_plural = _("accompagnements")
        ordering = ["-requested_on", "-id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(status__in=EnrollmentStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("Étape inconnue."),
            ),
            models.CheckConstraint(
                condition=(Q(status__in=CLOSED_STATUSES) & Q(ended_on__isnull=False))
                | (Q(status__in=OPEN_STATUSES) & Q(ended_on__isnull=True)),
                name="%(app_label)s_%(class)s_ended_iff_closed",
                violation_error_message=_(
                    "Un accompagnement terminé a une date de fin, et seulement lui."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("requested_on")),
                name="%(app_label)s_%(class)s_ends_after_request",
                violation_error_message=_("La fin ne peut pas précéder la demande."),
            ),
            models.CheckConstraint(
                condition=Q(home_adapted_on__isnull=True)
                | Q(pathway__in=[p.value for p in ADAPTATION_PATHWAYS]),
                name="%(app_label)s_%(class)s_adapted_home_needs_pathway",
                violation_error_message=_(
                    "Seul un parcours d'adaptation ou de maintien à domicile adapte un logement."
                ),
            ),
            models.UniqueConstraint(
                fields=["organization", "person"],
                condition=Q(status__in=OPEN_STATUSES),
                name="%(app_label)s_%(class)s_one_open_per_person",
                violation_error_message=_(
                    "Cette personne a déjà un accompagnement en cours dans la structure."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Accompagnement de {self.person} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EnrollmentEvent(models.Model):
    """One status change of an enrollment: who, when, from what to what, why."""

    enrollment = models.ForeignKey(
        Enrollment, models.CASCADE, related_name="events", verbose_name=_("accompagnement")
    )
    from_status = models.CharField(
        _("de"), max_length=12, choices=EnrollmentStatus.choices, blank=True
    )
    to_status = models.CharField(_("vers"), max_length=12, choices=EnrollmentStatus.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("motif ou précision"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("par"),
    )
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("changement d'étape")
        verbose_name_plural = _("changements d'étape")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class Exit(models.Model):
    """How an enrollment ended: the outcome, and whether the household is ready for ordinary housing."""

    enrollment = models.OneToOneField(
        Enrollment, models.CASCADE, related_name="exit", verbose_name=_("accompagnement")
    )
    outcome = models.CharField(
        _("situation à la sortie"), max_length=16, choices=ExitOutcome.choices
    )
    exited_on = models.DateField(_("date de sortie"))
    ready_for_housing = models.BooleanField(
        _("prêt au logement"),
        default=False,
        help_text=_("Ménage prêt à accéder à un logement ordinaire."),
    )
    note = models.CharField(_("précision"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sortie")
        verbose_name_plural = _("sorties")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=ExitOutcome.values),
                name="%(app_label)s_%(class)s_outcome_valid",
                violation_error_message=_("Situation de sortie inconnue."),
            ),
        ]

    def __str__(self) -> str:
        return f"Sortie le {self.exited_on:%d/%m/%Y} : {self.get_outcome_display()}"


FOLLOW_UP_EARLY_DAYS = 30


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(exit__enrollment__in=Enrollment.objects.visible_to(user).values("pk"))

    def pending(self):
        return self.filter(done_on__isnull=True)


class FollowUp(models.Model):
    """A check on the person's situation 6 or 12 months after the exit, so outcomes hold over time."""

    exit = models.ForeignKey(
        Exit, models.CASCADE, related_name="follow_ups", verbose_name=_("sortie")
    )
    kind = models.CharField(_("échéance"), max_length=4, choices=FollowUpKind.choices)
    due_on = models.DateField(_("à faire le"))
    done_on = models.DateField(_("fait le"), null=True, blank=True)
    reached = models.BooleanField(
        _("personne jointe"),
        null=True,
        blank=True,
        help_text=_("Non : la personne n'a pas pu être jointe, sa situation reste inconnue."),
    )
    housing = models.CharField(
        _("logement"), max_length=20, choices=FollowUpHousing.choices, blank=True
    )
    activity = models.CharField(
        _("emploi ou formation"), max_length=12, choices=FollowUpActivity.choices, blank=True
    )
    note = models.CharField(_("précision"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("suivi après la sortie")
        verbose_name_plural = _("suivis après la sortie")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["exit", "kind"],
                name="%(app_label)s_%(class)s_once_per_kind",
                violation_error_message=_("Ce suivi existe déjà."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=FollowUpKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Échéance inconnue."),
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True, reached__isnull=True)
                | Q(done_on__isnull=False, reached__isnull=False),
                name="%(app_label)s_%(class)s_done_iff_answered",
                violation_error_message=_("Un suivi fait dit si la personne a été jointe."),
            ),
        ]

    def __str__(self) -> str:
        return f"Suivi {self.get_kind_display()}"

    @property
    def months(self) -> int:
        return FOLLOW_UP_MONTHS[FollowUpKind(self.kind)]

    @property
    def is_late(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()

    @property
    def opens_on(self):
        """News may be taken a little before the due date, not months ahead."""
        return self.due_on - datetime.timedelta(days=FOLLOW_UP_EARLY_DAYS)

    @property
    def is_open(self) -> bool:
        return self.done_on is None and self.opens_on <= timezone.localdate()

    @property
    def still_housed(self) -> bool | None:
        """Housed autonomously at the check (None when unknown)."""
        if not self.reached or self.housing in ("", FollowUpHousing.UNKNOWN):
            return None
        return self.housing in (FollowUpHousing.SAME_HOME, FollowUpHousing.OTHER_AUTONOMOUS)

    @property
    def in_work_or_training(self) -> bool | None:
        if not self.reached or self.activity in ("", FollowUpActivity.UNKNOWN):
            return None
        return self.activity in (FollowUpActivity.EMPLOYMENT, FollowUpActivity.TRAINING)

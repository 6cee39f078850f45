"""The staff's presence at a residence (a weekly schedule) and what residents ask or report to
them: requests and incidents followed to done."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import TimeStampedModel
from ancrage.housing.models.residences import Residence


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("lundi")
    TUESDAY = 2, _("mardi")
    WEDNESDAY = 3, _("mercredi")
    THURSDAY = 4, _("jeudi")
    FRIDAY = 5, _("vendredi")
    SATURDAY = 6, _("samedi")
    SUNDAY = 7, _("dimanche")


class StaffSlot(TimeStampedModel):
    """Someone of the staff on site every week on that day, from ``starts`` to ``ends``."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    residence = models.ForeignKey(
        Residence, models.CASCADE, related_name="staff_slots", verbose_name=_("résidence")
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    starts = models.TimeField(_("de"))
    ends = models.TimeField(_("à"))
    who = models.CharField(_("qui"), max_length=120, help_text=_("Nom ou fonction."))

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("présence du personnel")
        verbose_name_plural = _("présences du personnel")
        ordering = ["weekday", "starts", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("La fin doit suivre le début."),
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=1, weekday__lte=7),
                name="%(app_label)s_%(class)s_weekday_valid",
                violation_error_message=_("Jour inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M} : {self.who}"


class RequestKind(models.TextChoices):
    REQUEST = "request", _("Demande")
    INCIDENT = "incident", _("Incident")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("À traiter")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Traitée")


class ResidenceRequest(TimeStampedModel):
    """A request or an incident brought to the staff on site, followed to done."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    residence = models.ForeignKey(
        Residence, models.CASCADE, related_name="requests", verbose_name=_("résidence")
    )
    kind = models.CharField(_("nature"), max_length=10, choices=RequestKind.choices)
    occurred_on = models.DateField(_("le"))
    summary = models.CharField(
        _("objet"),
        max_length=300,
        help_text=_("Des faits, sans diagnostic ni jugement : ce qui est demandé ou arrivé."),
    )
    person = models.ForeignKey(
        "people.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("résident·e concerné·e"),
    )
    status = models.CharField(
        _("état"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    done_on = models.DateField(_("traitée le"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("saisie par"),
    )

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande ou incident")
        verbose_name_plural = _("demandes et incidents")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RequestKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Nature inconnue."),
            ),
            models.CheckConstraint(
                condition=(Q(status=RequestStatus.DONE) & Q(done_on__isnull=False))
                | (~Q(status=RequestStatus.DONE) & Q(done_on__isnull=True)),
                name="%(app_label)s_%(class)s_done_has_date",
                violation_error_message=_("Une demande traitée a sa date, les autres non."),
            ),
        ]
        indexes = [
            models.Index(fields=["residence", "status"], name="housing_request_open"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.occurred_on:%d/%m/%Y} : {self.summary}"


class PairingQuerySet(TeamScopedQuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)


class Pairing(TimeStampedModel):
    """An intergenerational pair of residents — a senior and a young person — and what each
    commits to (shared meals, help with shopping, company…)."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    residence = models.ForeignKey(
        Residence, models.CASCADE, related_name="pairings", verbose_name=_("résidence")
    )
    senior = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="+", verbose_name=_("aîné·e")
    )
    junior = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="+", verbose_name=_("jeune")
    )
    started_on = models.DateField(_("depuis le"))
    ended_on = models.DateField(_("jusqu'au"), null=True, blank=True)
    commitments = models.TextField(
        _("engagements"),
        max_length=1000,
        help_text=_("Ce que chacun·e s'engage à partager : repas, courses, compagnie, numérique…"),
    )

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("binôme intergénérationnel")
        verbose_name_plural = _("binômes intergénérationnels")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(senior=F("junior")),
                name="%(app_label)s_%(class)s_two_people",
                violation_error_message=_("Un binôme réunit deux personnes."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("La fin suit le début."),
            ),
            models.UniqueConstraint(
                fields=["senior"],
                condition=Q(ended_on__isnull=True),
                name="%(app_label)s_%(class)s_one_current_per_senior",
                violation_error_message=_("Cette personne a déjà un binôme en cours."),
            ),
            models.UniqueConstraint(
                fields=["junior"],
                condition=Q(ended_on__isnull=True),
                name="%(app_label)s_%(class)s_one_current_per_junior",
                violation_error_message=_("Cette personne a déjà un binôme en cours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.senior} et {self.junior}"

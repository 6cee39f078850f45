"""The yearly satisfaction survey of a residence's residents: answered without an account (a link,
or a tablet at the residence), anonymous by construction — an answer keeps its day and its values,
never who gave it nor from where."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import TimeStampedModel
from ancrage.housing.models.residences import Residence

MAX_QUESTIONS = 10


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Échelle de 1 (pas du tout satisfait·e) à 4 (très satisfait·e)")
    YES_NO = "yes_no", _("Oui / non")


SCALE_LABELS = {
    1: _("Pas du tout satisfait·e"),
    2: _("Plutôt pas satisfait·e"),
    3: _("Plutôt satisfait·e"),
    4: _("Très satisfait·e"),
}


class Survey(TimeStampedModel):
    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    residence = models.ForeignKey(
        Residence, models.CASCADE, related_name="surveys", verbose_name=_("résidence")
    )
    year = models.PositiveSmallIntegerField(_("année"))
    title = models.CharField(_("titre"), max_length=150)
    opens_on = models.DateField(_("ouverte du"))
    closes_on = models.DateField(_("au (inclus)"))
    # Opens the answer page without an account; a new one can be drawn (the old link dies).
    token = models.CharField(_("lien"), max_length=43, unique=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("enquête de satisfaction")
        verbose_name_plural = _("enquêtes de satisfaction")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["residence", "year"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message=_("Cette résidence a déjà son enquête de cette année."),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="%(app_label)s_%(class)s_closes_after_opening",
                violation_error_message=_("La fermeture suit l'ouverture."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="%(app_label)s_%(class)s_year_plausible",
                violation_error_message=_("Année invraisemblable."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.year}"

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(
        Survey, models.CASCADE, related_name="questions", verbose_name=_("enquête")
    )
    position = models.PositiveSmallIntegerField(_("rang"))
    text = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("réponse"), max_length=8, choices=QuestionKind.choices)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "position"],
                name="%(app_label)s_%(class)s_one_per_position",
                violation_error_message=_("Deux questions au même rang."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Type de réponse inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """One resident's answers: no person, no account, no address, no time of day."""

    survey = models.ForeignKey(
        Survey, models.CASCADE, related_name="responses", verbose_name=_("enquête")
    )
    answered_on = models.DateField(_("répondu le"))

    class Meta:
        verbose_name = _("réponse à l'enquête")
        verbose_name_plural = _("réponses à l'enquête")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.survey} — {self.answered_on:%d/%m/%Y}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(
        SurveyResponse, models.CASCADE, related_name="answers", verbose_name=_("réponse")
    )
    question = models.ForeignKey(
        SurveyQuestion, models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    value = models.PositiveSmallIntegerField(_("valeur"))  # 1–4, or 1 (oui) / 0 (non)

    class Meta:
        verbose_name = _("réponse à une question")
        verbose_name_plural = _("réponses aux questions")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"],
                name="%(app_label)s_%(class)s_once",
                violation_error_message=_("Une seule réponse par question."),
            ),
            models.CheckConstraint(
                condition=Q(value__lte=4),
                name="%(app_label)s_%(class)s_value_range",
                violation_error_message=_("Réponse hors de l'échelle."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} : {self.value}"

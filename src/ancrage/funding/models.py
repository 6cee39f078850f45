"""Grants paid on results: the agreement between a funder and an organization for a program, its
yearly amounts and objectives, and the installments paid on it. Amounts are in cents."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ancrage.core.models import TimeStampedModel
from ancrage.funding.enums import (
    AccessRequestStatus,
    ApplicationStatus,
    InstallmentKind,
    InstallmentStatus,
)


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Agreements of the organizations where the user is a member (funder or beneficiary)."""
        from ancrage.accounts.permissions import organizations_where

        mine = organizations_where(user, "organization.view")
        return self.filter(Q(funder_id__in=mine) | Q(beneficiary_id__in=mine))


class Agreement(TimeStampedModel):
    """A funder's multi-year agreement with an organization for a program."""

    funder = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("financeur")
    )
    beneficiary = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("bénéficiaire")
    )
    program = models.ForeignKey(
        "programs.Program", models.PROTECT, related_name="+", verbose_name=_("dispositif")
    )
    subject = models.CharField(_("objet"), max_length=500)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    signed_on = models.DateField(_("signée le"), null=True, blank=True)
    template_version = models.CharField(
        _("modèle de convention"),
        max_length=20,
        default="2026-1",
        help_text=_("La version du modèle dont le PDF de la convention est tiré."),
    )
    signed_file = models.FileField(_("convention signée (PDF)"), max_length=200, blank=True)
    signed_sha256 = models.CharField(_("empreinte SHA-256 du PDF signé"), max_length=64, blank=True)
    partner_agreement = models.ForeignKey(
        "partnerships.PartnerAgreement",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("convention de partenariat"),
        help_text=_(
            "La convention entre partenaires dont cette subvention fait partie : son montant y "
            "est lu d'ici, jamais saisi deux fois."
        ),
    )
    objectives_percent = models.PositiveSmallIntegerField(
        _("part des objectifs exigée pour le solde (%)"),
        default=100,
        help_text=_("100 : chaque objectif atteint ; 80 : chacun atteint à 80 % au moins."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisie par"),
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("La fin précède le début."),
            ),
            models.CheckConstraint(
                condition=Q(objectives_percent__gte=0) & Q(objectives_percent__lte=100),
                name="%(app_label)s_%(class)s_objectives_percent",
                violation_error_message=_("La part des objectifs va de 0 à 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return f"Convention {self.program} — {self.beneficiary}"

    @property
    def reference(self) -> str:
        """The decision's reference in exports (the funder's own numbering is not known here)."""
        return f"ANCRAGE-{self.pk}"

    @property
    def years(self) -> list[int]:
        return list(range(self.starts_on.year, self.ends_on.year + 1))

    @property
    def first_month(self) -> datetime.date:
        return self.starts_on.replace(day=1)

    @property
    def last_month(self) -> datetime.date:
        return self.ends_on.replace(day=1)


class AgreementYear(models.Model):
    """The amount granted for one calendar year of the agreement."""

    agreement = models.ForeignKey(
        Agreement, models.CASCADE, related_name="amounts", verbose_name=_("convention")
    )
    year = models.PositiveSmallIntegerField(_("année"))
    amount_cents = models.BigIntegerField(_("montant (centimes)"))

    class Meta:
        verbose_name = _("montant annuel")
        verbose_name_plural = _("montants annuels")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year"],
                name="%(app_label)s_%(class)s_once_a_year",
                violation_error_message=_("Cette année a déjà son montant."),
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0),
                name="%(app_label)s_%(class)s_positive",
                violation_error_message=_("Le montant est positif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} : {self.amount_cents / 100:.2f} €"


class Objective(models.Model):
    """The figure the funder expects for an indicator in a year (the report's « Objectif »)."""

    agreement = models.ForeignKey(
        Agreement, models.CASCADE, related_name="objectives", verbose_name=_("convention")
    )
    year = models.PositiveSmallIntegerField(_("année"))
    indicator = models.CharField(_("indicateur"), max_length=40)
    value = models.FloatField(_("objectif"))

    class Meta:
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        ordering = ["year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year", "indicator"],
                name="%(app_label)s_%(class)s_once",
                violation_error_message=_("Cet objectif existe déjà pour cette année."),
            ),
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="%(app_label)s_%(class)s_positive",
                violation_error_message=_("Un objectif est positif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year} : {self.value:g}"


class Installment(TimeStampedModel):
    """A payment of the agreement: planned, requested by the organization, paid by the funder. A
    paid installment never changes; a correction is a new installment."""

    agreement = models.ForeignKey(
        Agreement, models.PROTECT, related_name="installments", verbose_name=_("convention")
    )
    year = models.PositiveSmallIntegerField(_("année"))
    kind = models.CharField(_("nature"), max_length=10, choices=InstallmentKind.choices)
    amount_cents = models.BigIntegerField(_("montant (centimes)"))
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=InstallmentStatus.choices,
        default=InstallmentStatus.PLANNED,
    )
    planned_on = models.DateField(_("prévu le"))
    requested_on = models.DateField(_("demandé le"), null=True, blank=True)
    paid_on = models.DateField(_("versé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("versement")
        verbose_name_plural = _("versements")
        ordering = ["year", "planned_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InstallmentKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Nature de versement inconnue."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=InstallmentStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("État de versement inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0),
                name="%(app_label)s_%(class)s_positive",
                violation_error_message=_("Le montant est positif."),
            ),
            models.CheckConstraint(
                condition=~Q(status=InstallmentStatus.PAID) | Q(paid_on__isnull=False),
                name="%(app_label)s_%(class)s_paid_has_date",
                violation_error_message=_("Un versement fait a sa date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} : {self.amount_cents / 100:.2f} €"


class Call(TimeStampedModel):
    """A funder's call for applications for a program: published on a public page, open from
    ``opens_at`` to ``closes_at`` (to the second, Europe/Paris), scored on a grid of criteria."""

    funder = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("financeur")
    )
    program = models.ForeignKey(
        "programs.Program", models.PROTECT, related_name="+", verbose_name=_("dispositif")
    )
    title = models.CharField(_("titre"), max_length=200)
    text = models.TextField(_("texte de l'appel"), max_length=20000)
    eligible_kinds = models.JSONField(
        _("structures éligibles"), default=list, blank=True, help_text=_("Vide : toutes.")
    )
    territory = models.ForeignKey(
        "core.Territory",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("territoire éligible"),
        help_text=_("Vide : toute la France."),
    )
    envelope_cents = models.BigIntegerField(_("enveloppe (centimes)"))
    required_documents = models.JSONField(_("pièces demandées"), default=list, blank=True)
    opens_at = models.DateTimeField(_("ouverture"))
    closes_at = models.DateTimeField(_("clôture"))
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("évaluateurs")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )

    class Meta:
        verbose_name = _("appel à projets")
        verbose_name_plural = _("appels à projets")
        ordering = ["-closes_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="%(app_label)s_%(class)s_closes_after_opening",
                violation_error_message=_("La clôture précède l'ouverture."),
            ),
            models.CheckConstraint(
                condition=Q(envelope_cents__gt=0),
                name="%(app_label)s_%(class)s_envelope_positive",
                violation_error_message=_("L'enveloppe est positive."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: datetime.datetime) -> bool:
        """Open from its opening to the second before its closing: at 18:00:00 it is closed."""
        return self.published_at is not None and self.opens_at <= now < self.closes_at

    def state(self, now: datetime.datetime) -> str:
        if self.published_at is None:
            return str(_("brouillon"))
        if self.decided_at is not None:
            return str(_("décidé"))
        if now < self.opens_at:
            return str(_("à venir"))
        if now < self.closes_at:
            return str(_("ouvert"))
        return str(_("clos"))


class Criterion(models.Model):
    """One line of a call's scoring grid: a score from 0 to ``max_score``, weighted."""

    call = models.ForeignKey(Call, models.CASCADE, related_name="criteria", verbose_name=_("appel"))
    label = models.CharField(_("critère"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("poids"))
    max_score = models.PositiveSmallIntegerField(_("note maximale"), default=5)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("critère")
        verbose_name_plural = _("critères")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100),
                name="%(app_label)s_%(class)s_weight",
                violation_error_message=_("Le poids va de 1 à 100."),
            ),
            models.CheckConstraint(
                condition=Q(max_score__gte=1) & Q(max_score__lte=20),
                name="%(app_label)s_%(class)s_max_score",
                violation_error_message=_("La note maximale va de 1 à 20."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} (×{self.weight}, sur {self.max_score})"


class AccessRequest(TimeStampedModel):
    """An organization without an account asks, from a call's public page, to apply: the funder
    accepts (the organization and its first administrator are created and invited) or refuses."""

    call = models.ForeignKey(
        Call, models.CASCADE, related_name="access_requests", verbose_name=_("appel")
    )
    organization_name = models.CharField(_("nom de la structure"), max_length=200)
    kind = models.CharField(_("type de structure"), max_length=30)
    commune = models.ForeignKey(
        "core.Territory", models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("e-mail"))
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=AccessRequestStatus.choices,
        default=AccessRequestStatus.PENDING,
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure créée"),
    )
    decided_at = models.DateTimeField(_("traitée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("demande d'accès")
        verbose_name_plural = _("demandes d'accès")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organization_name} ({self.get_status_display()})"


class Application(TimeStampedModel):
    """An organization's answer to a call: a draft with attachments, then submitted before the
    closing second, scored by the reviewers, then selected (it gets its agreement) or not."""

    call = models.ForeignKey(
        Call, models.PROTECT, related_name="applications", verbose_name=_("appel")
    )
    applicant = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("candidat")
    )
    project = models.TextField(_("projet"), max_length=20000, blank=True)
    amount_cents = models.BigIntegerField(_("montant demandé par an (centimes)"), default=0)
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    decision_comment = models.TextField(_("motif de la décision"), max_length=5000, blank=True)
    agreement = models.ForeignKey(
        Agreement,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("convention"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisie par"),
    )

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["call", "applicant__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "applicant"],
                name="%(app_label)s_%(class)s_once_per_call",
                violation_error_message=_("Votre structure a déjà une candidature à cet appel."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("État de candidature inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__gte=0),
                name="%(app_label)s_%(class)s_amount",
                violation_error_message=_("Le montant demandé est positif."),
            ),
        ]

    def __str__(self) -> str:
        return f"Candidature de {self.applicant} — {self.call}"


class ApplicationDocument(TimeStampedModel):
    """A file attached to an application (a required piece or another one); stored like the
    documents of people's files (``core.documents``)."""

    application = models.ForeignKey(
        Application, models.CASCADE, related_name="documents", verbose_name=_("candidature")
    )
    label = models.CharField(_("pièce"), max_length=200)
    file = models.FileField(_("fichier"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("pièce d'une candidature")
        verbose_name_plural = _("pièces des candidatures")
        ordering = ["label", "id"]

    def __str__(self) -> str:
        return self.label


class Review(TimeStampedModel):
    """One reviewer's scoring of an application: a conflict of interest declared first (then no
    score), else a score per criterion of the call's grid."""

    application = models.ForeignKey(
        Application, models.CASCADE, related_name="reviews", verbose_name=_("candidature")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("évaluateur")
    )
    conflict_of_interest = models.BooleanField(_("conflit d'intérêts déclaré"))
    scores = models.JSONField(_("notes"), default=dict, blank=True)  # {criterion id: score}
    comment = models.TextField(_("commentaire"), max_length=5000, blank=True)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"],
                name="%(app_label)s_%(class)s_once",
                violation_error_message=_("Vous avez déjà évalué cette candidature."),
            ),
        ]

    def __str__(self) -> str:
        return f"Évaluation de {self.application}"

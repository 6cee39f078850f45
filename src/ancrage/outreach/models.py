"""Outreach (repérage) for programs such as 1000 LIANES: the tenants a landlord's file identifies,
scored by rules the program's operator writes, grouped in segments, assigned by territory to local
actors who contact them and, with their consent, open a file.

A prospect keeps only the fields targeting needs (minimisation); it is deleted once idle for the
program's retention period unless it became a person followed (``forget_prospects``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.core.enums import ImportMode, ImportStatus
from ancrage.outreach.enums import AttemptChannel, ProspectStatus


class OutreachListQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The lists of the organizations where the user reads files, and the lists where one of
        them was assigned targets."""
        from ancrage.accounts.permissions import organizations_where

        mine = organizations_where(user, "team.read")
        return self.filter(
            Q(organization_id__in=mine)
            | Q(pk__in=Assignment.objects.filter(assignee_id__in=mine).values("outreach_list"))
        )


class OutreachList(models.Model):
    """An operator's outreach within a program: the landlords' files it imports, its targeting
    rules, segments and assignments."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("opérateur")
    )
    program = models.ForeignKey(
        "programs.Program", models.PROTECT, related_name="+", verbose_name=_("dispositif")
    )
    name = models.CharField(_("nom"), max_length=120)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = OutreachListQuerySet.as_manager()

    class Meta:
        verbose_name = _("liste de repérage")
        verbose_name_plural = _("listes de repérage")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("Cette structure a déjà une liste de ce nom."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class LandlordMapping(models.Model):
    """For one landlord's files, the header of each of Ancrage's columns: set once per landlord,
    used by every later import of its extracts."""

    outreach_list = models.ForeignKey(
        OutreachList, models.CASCADE, related_name="mappings", verbose_name=_("liste")
    )
    landlord = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("bailleur")
    )
    columns = models.JSONField(_("correspondance des colonnes"), default=dict)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("correspondance de colonnes d'un bailleur")
        verbose_name_plural = _("correspondances de colonnes des bailleurs")
        constraints = [
            models.UniqueConstraint(
                fields=["outreach_list", "landlord"],
                name="%(app_label)s_%(class)s_one_per_landlord",
                violation_error_message=_("Ce bailleur a déjà sa correspondance de colonnes."),
            )
        ]

    def __str__(self) -> str:
        return str(self.landlord)


class Segment(models.Model):
    """Targets whose score reaches ``min_score`` (and not a higher segment's)."""

    outreach_list = models.ForeignKey(
        OutreachList, models.CASCADE, related_name="segments", verbose_name=_("liste")
    )
    name = models.CharField(_("nom"), max_length=80)
    min_score = models.IntegerField(_("score minimal"))

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["-min_score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["outreach_list", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("Un segment porte déjà ce nom."),
            ),
            models.UniqueConstraint(
                fields=["outreach_list", "min_score"],
                name="%(app_label)s_%(class)s_unique_threshold",
                violation_error_message=_("Un segment a déjà ce score minimal."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ScoringRule(models.Model):
    """Conditions on the imported fields (all must hold) and the points they give a target."""

    outreach_list = models.ForeignKey(
        OutreachList, models.CASCADE, related_name="rules", verbose_name=_("liste")
    )
    name = models.CharField(_("nom"), max_length=120)
    # [{"field": "age", "operator": "gte", "value": 75}, {"field": "lives_alone", …}]
    conditions = models.JSONField(_("conditions"), default=list)
    weight = models.SmallIntegerField(_("points"))

    class Meta:
        verbose_name = _("règle de ciblage")
        verbose_name_plural = _("règles de ciblage")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=-1000) & Q(weight__lte=1000),
                name="%(app_label)s_%(class)s_weight_range",
                violation_error_message=_("Les points vont de -1000 à 1000."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """The targets of a segment in a territory (a commune, an EPCI, a département; none: all)
    given to a local actor, who sees only those."""

    outreach_list = models.ForeignKey(
        OutreachList, models.CASCADE, related_name="assignments", verbose_name=_("liste")
    )
    segment = models.ForeignKey(
        Segment, models.CASCADE, related_name="assignments", verbose_name=_("segment")
    )
    territory = models.ForeignKey(
        "core.Territory",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("territoire"),
    )
    assignee = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("confié à")
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("attribution")
        verbose_name_plural = _("attributions")
        ordering = ["segment__min_score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "territory"],
                name="%(app_label)s_%(class)s_one_per_territory",
                violation_error_message=_("Ce segment est déjà confié sur ce territoire."),
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.segment} → {self.assignee}"


class ProspectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The operator's team sees its lists' targets; a local actor's team only the targets
        assigned to its organization."""
        from ancrage.accounts.permissions import organizations_where

        mine = organizations_where(user, "team.read")
        return self.filter(Q(outreach_list__organization_id__in=mine) | Q(assignee_id__in=mine))


class Prospect(models.Model):
    """A tenant identified in a landlord's file: only what targeting and a first contact need.

    The list, landlord, commune and segment carry no foreign-key constraint in the database
    (ADR 0014): a landlord's file writes a million rows in one statement and scoring rewrites
    their segments, and a trigger per row and key would cost more than all the rest. The import
    checks communes in SQL, the list and landlord are the job's own, and deletions go through
    Django's collector (cascade, protect, set null)."""

    outreach_list = models.ForeignKey(
        OutreachList,
        models.CASCADE,
        related_name="prospects",
        verbose_name=_("liste"),
        db_index=False,  # the unique constraint starts with it
        db_constraint=False,  # see below
    )
    landlord = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="+",
        verbose_name=_("bailleur"),
        db_index=False,  # in the unique constraint
        db_constraint=False,  # see below
    )
    tenant_ref = models.CharField(_("référence locataire"), max_length=64)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"), null=True, blank=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    commune = models.ForeignKey(
        "core.Territory",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
        db_index=False,  # read through the list's index; territories are never deleted
        db_constraint=False,  # checked by the import's SQL (see below)
    )
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    lives_alone = models.BooleanField(_("vit seul·e"), null=True, blank=True)
    floor = models.SmallIntegerField(_("étage"), null=True, blank=True)
    has_lift = models.BooleanField(_("ascenseur"), null=True, blank=True)
    unit_adapted = models.BooleanField(_("logement adapté"), null=True, blank=True)
    job_seeker = models.BooleanField(_("demandeur·se d'emploi"), null=True, blank=True)
    arrears_cents = models.PositiveIntegerField(_("impayés (centimes)"), null=True, blank=True)
    score = models.IntegerField(_("score"), default=0)
    segment = models.ForeignKey(
        Segment,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("segment"),
        db_index=False,  # partial index below
        db_constraint=False,  # see below
    )
    assignee = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confié à"),
        db_index=False,  # partial index below
    )
    status = models.CharField(
        _("état"), max_length=16, choices=ProspectStatus.choices, default=ProspectStatus.TO_CONTACT
    )
    consent_on = models.DateField(_("accord recueilli le"), null=True, blank=True)
    person = models.ForeignKey(
        "people.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("personne"),
        db_index=False,  # partial index below
    )
    first_seen_on = models.DateField(_("repéré·e le"))
    # Imported, changed by a later file, or contacted: retention counts from here.
    active_on = models.DateField(_("dernière activité le"))
    left_file_on = models.DateField(_("sorti·e du fichier le"), null=True, blank=True)

    objects = ProspectQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne repérée")
        verbose_name_plural = _("personnes repérées")
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["outreach_list", "landlord", "tenant_ref"],
                name="%(app_label)s_%(class)s_unique_tenant",
                violation_error_message=_("Ce locataire est déjà repéré pour ce bailleur."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProspectStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("État inconnu."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ProspectStatus.CONVERTED) | Q(person__isnull=False),
                name="%(app_label)s_%(class)s_converted_has_person",
                violation_error_message=_("Une personne accompagnée a sa fiche."),
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(consent_on__isnull=False),
                name="%(app_label)s_%(class)s_file_after_consent",
                violation_error_message=_(
                    "Une fiche n'est ouverte qu'avec l'accord de la personne."
                ),
            ),
        ]
        indexes = [
            # The list of targets by score, and an assignee's list (keyset pagination).
            models.Index(
                "outreach_list", models.F("score").desc(), "id", name="outreach_prospect_by_score"
            ),
            models.Index(
                "assignee",
                models.F("score").desc(),
                "id",
                name="outreach_prospect_assigned",
                condition=Q(assignee__isnull=False),
            ),
            models.Index(
                fields=["segment"],
                name="outreach_prospect_segment",
                condition=Q(segment__isnull=False),
            ),
            models.Index(
                fields=["person"],
                name="outreach_prospect_person",
                condition=Q(person__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.tenant_ref

    @property
    def short_name(self) -> str:
        initial = f" {self.last_name[:1]}." if self.last_name else ""
        return f"{self.first_name}{initial}".strip() or self.tenant_ref


def _files():
    from ancrage.core.documents import storage

    return storage()


class ProspectImport(models.Model):
    """A landlord's extract sent to be checked (dry run) or imported, run in the background. The
    file is deleted once imported; the report keeps line numbers and reasons."""

    outreach_list = models.ForeignKey(
        OutreachList, models.CASCADE, related_name="imports", verbose_name=_("liste")
    )
    landlord = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("bailleur")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("envoyé par")
    )
    filename = models.CharField(_("fichier"), max_length=200)
    file = models.FileField(_("contenu"), storage=_files, max_length=200, blank=True)
    mode = models.CharField(_("mode"), max_length=8, choices=ImportMode.choices)
    dry_run = models.BooleanField(_("vérification seulement"), default=True)
    status = models.CharField(
        _("état"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total_lines = models.PositiveIntegerField(_("lignes"), default=0)
    counts = models.JSONField(_("résultat"), default=dict, blank=True)
    problems = models.JSONField(_("lignes refusées"), default=list, blank=True)
    error = models.CharField(_("erreur"), max_length=500, blank=True)
    written = models.BooleanField(_("données écrites"), default=False)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import d'un fichier de bailleur")
        verbose_name_plural = _("imports de fichiers de bailleurs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename


class Campaign(models.Model):
    """A wave of outreach on one segment: letters sent, calls, visits."""

    outreach_list = models.ForeignKey(
        OutreachList, models.CASCADE, related_name="campaigns", verbose_name=_("liste")
    )
    name = models.CharField(_("nom"), max_length=120)
    segment = models.ForeignKey(
        Segment,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("segment"),
    )
    letter = models.TextField(
        _("texte du courrier"),
        max_length=4000,
        blank=True,
        help_text=_(
            "Le courrier envoyé à chaque personne ; « {prenom} » et « {nom} » sont remplacés."
        ),
    )
    starts_on = models.DateField(_("début"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.name


class Attempt(models.Model):
    """One try at reaching a prospect, and what came of it (the prospect's new status)."""

    prospect = models.ForeignKey(
        Prospect, models.CASCADE, related_name="attempts", verbose_name=_("personne repérée")
    )
    campaign = models.ForeignKey(
        Campaign,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="attempts",
        verbose_name=_("campagne"),
    )
    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("par")
    )
    channel = models.CharField(_("moyen"), max_length=8, choices=AttemptChannel.choices)
    occurred_on = models.DateField(_("le"))
    outcome = models.CharField(_("résultat"), max_length=16, choices=ProspectStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )
    recorded_at = models.DateTimeField(_("saisi le"), auto_now_add=True)

    class Meta:
        verbose_name = _("tentative de contact")
        verbose_name_plural = _("tentatives de contact")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=AttemptChannel.values),
                name="%(app_label)s_%(class)s_channel_valid",
                violation_error_message=_("Moyen de contact inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=ProspectStatus.values) & ~Q(outcome="converted"),
                name="%(app_label)s_%(class)s_outcome_valid",
                violation_error_message=_("Résultat inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} — {self.occurred_on}"

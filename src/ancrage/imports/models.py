"""Imports of past records from files: the column mapping an organization keeps, and each job."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.imports.enums import JobStatus, Mode, SheetKind


class ColumnMapping(models.Model):
    """For one kind of sheet, the organization's header for each of Ancrage's columns
    (``{"nom": "NOM_USAGE", …}``): set once, used by every later import."""

    organization = models.ForeignKey(
        "accounts.Organization", models.CASCADE, related_name="+", verbose_name=_("structure")
    )
    kind = models.CharField(_("feuille"), max_length=16, choices=SheetKind.choices)
    columns = models.JSONField(_("correspondance des colonnes"), default=dict)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("correspondance de colonnes")
        verbose_name_plural = _("correspondances de colonnes")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind"], name="imports_mapping_one_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.get_kind_display()}"


class ImportJob(models.Model):
    """A file sent to be checked (dry run) or imported, run in the background. The file itself
    is deleted once the job has run; the report keeps line numbers and reasons, no values."""

    organization = models.ForeignKey(
        "accounts.Organization", models.CASCADE, related_name="+", verbose_name=_("structure")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("envoyé par")
    )
    filename = models.CharField(_("fichier"), max_length=200)
    data = models.BinaryField(_("contenu"), blank=True, default=b"")
    kind = models.CharField(
        _("feuille (CSV)"),
        max_length=16,
        choices=SheetKind.choices,
        blank=True,
        help_text=_("Ce que contient un CSV ; un classeur le dit par le nom de ses feuilles."),
    )
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices)
    dry_run = models.BooleanField(_("vérification seulement"), default=True)
    status = models.CharField(
        _("état"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    total_lines = models.PositiveIntegerField(_("lignes"), default=0)
    counts = models.JSONField(_("résultat par feuille"), default=dict, blank=True)
    problems = models.JSONField(_("lignes refusées"), default=list, blank=True)
    error = models.CharField(_("erreur"), max_length=500, blank=True)
    written = models.BooleanField(_("données écrites"), default=False)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def refused(self) -> int:
        return sum(sheet.get("refused", 0) for sheet in self.counts.values())

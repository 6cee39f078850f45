"""Shared kernel: abstract base models and the French territories (INSEE codes)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from ancrage.core.enums import TerritoryKind
from ancrage.core.text import fold

# Longest text a search takes: names, postal codes, phone numbers and SNE numbers are shorter.
SEARCH_MAX = 200


class TimeStampedModel(models.Model):
    """Adds creation and last-change timestamps."""

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class TerritoryQuerySet(models.QuerySet):
    def communes(self):
        return self.filter(kind=TerritoryKind.COMMUNE)

    def by_code(self, code: str):
        """The commune, EPCI or département with this official code (in that order: a commune's
        INSEE code, an EPCI's SIREN, a département's number), or None."""
        code = (code or "").strip()
        if not code:
            return None
        for kind in (TerritoryKind.COMMUNE, TerritoryKind.EPCI, TerritoryKind.DEPARTEMENT):
            found = self.filter(kind=kind, code=code).first()
            if found is not None:
                return found
        return None

    def search(self, text: str):
        """Communes whose name or postal code starts with ``text``, accents and case ignored (no
        commune name is longer than ``SEARCH_MAX``: a longer text finds nothing, without a query
        SQLite would refuse as too complex)."""
        if len(text or "") > SEARCH_MAX or "\x00" in (text or ""):
            return self.none()
        folded = fold(text)
        if not folded:
            return self.none()
        if folded.isdigit():
            return self.filter(postal_codes__contains=folded)
        return self.filter(search_name__startswith=folded)


class Territory(models.Model):
    """A commune, EPCI, département or région, identified by its official code.

    Loaded from ``core/data/territories.csv.gz`` (see ``core/data/SOURCE.md``). A commune points to
    its département, région and EPCI so that figures roll up without recursive queries.
    """

    kind = models.CharField(_("type"), max_length=12, choices=TerritoryKind.choices)
    code = models.CharField(_("code officiel"), max_length=9)
    name = models.CharField(_("nom"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    postal_codes = models.CharField(_("codes postaux"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    departement = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("département"),
    )
    region = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("région")
    )
    epci = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("EPCI")
    )

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("Ce code de territoire existe déjà."),
            ),
        ]
        indexes = [models.Index(Lower("name"), name="core_territory_lower_name")]

    def __str__(self) -> str:
        if self.kind == TerritoryKind.COMMUNE:
            first_postcode = self.postal_codes.split(" ")[0] if self.postal_codes else self.code
            return f"{self.name} ({first_postcode})"
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def name_and_kind(self) -> str:
        """ "Arras (commune)", "Saint-Étienne Métropole (EPCI)": the name with what it is."""
        kind = self.get_kind_display()
        return f"{self.name} ({kind if kind.isupper() else kind.lower()})"


class Heartbeat(models.Model):
    """The last sign of life of a background process (``ancrage worker`` beats every 30 s), so that
    ``/sante/`` can tell a stopped worker from an idle one."""

    name = models.CharField(_("processus"), max_length=40, unique=True)
    beat_at = models.DateTimeField(_("dernier signe de vie"))

    class Meta:
        verbose_name = _("signe de vie")
        verbose_name_plural = _("signes de vie")

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%d/%m/%Y %H:%M:%S}"


# --- External references: the id a record has in the system it was imported from ---------------

EXTERNAL_REF_MAX = 100


def external_ref_field() -> models.CharField:
    """The record's id in another system (an import, a partner's software): sending the same
    reference again updates or answers the record instead of creating a second one."""
    return models.CharField(
        _("référence externe"),
        max_length=EXTERNAL_REF_MAX,
        blank=True,
        default="",
        help_text=_("Identifiant dans le logiciel ou le fichier d'origine (unique par structure)."),
    )


def unique_external_ref(owner: str = "organization") -> models.UniqueConstraint:
    """``owner``: the field naming the organization whose reference it is."""
    return models.UniqueConstraint(
        fields=[owner, "external_ref"],
        condition=~models.Q(external_ref=""),
        name="%(app_label)s_%(class)s_external_ref_unique",
        violation_error_message=_("Cette référence externe est déjà utilisée dans la structure."),
    )


class IdempotentRequest(models.Model):
    """A POST sent with an ``Idempotency-Key`` header, and its answer: sending the same key again
    within 24 hours replays the answer instead of writing twice (core.idempotency)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="+",
        verbose_name=_("utilisateur·rice"),
    )
    key = models.CharField(_("clé"), max_length=255)
    fingerprint = models.CharField(_("empreinte de la requête"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("code de la réponse"), null=True, blank=True)
    body = models.JSONField(_("réponse"), null=True, blank=True)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("requête idempotente")
        verbose_name_plural = _("requêtes idempotentes")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="core_idempotent_user_key_unique")
        ]

    def __str__(self) -> str:
        return self.key

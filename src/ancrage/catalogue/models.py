"""The services catalogue: what organizations offer (mobility, health, sport, administrative
help…), described in the data·inclusion schema so that it travels to and from Dora and the other
tools of the insertion offer. A service carries no personal data of the people it serves."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.core.models import TimeStampedModel, external_ref_field, unique_external_ref

# The producer written in the ``source`` of the services described here.
SOURCE = "ancrage"


class ServiceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The catalogue is open to every member of an organization (it describes offers, not
        people); a closed service stays visible to its own organization only."""
        mine = self._member_organizations(user)
        if not mine:
            return self.none()
        return self.filter(Q(is_active=True) | Q(organization_id__in=mine))

    def of_member(self, user):
        """The services of the organizations ``user`` is a member of (what they may change)."""
        return self.filter(organization_id__in=self._member_organizations(user))

    @staticmethod
    def _member_organizations(user) -> list[int]:
        if not user.is_authenticated:
            return []
        from ancrage.accounts.queries import organizations_where

        return organizations_where(user, "organization.view")


class Service(TimeStampedModel):
    """A service an organization offers, field for field the data·inclusion ``Service``: lists
    hold the schema's codes (``vocabulary``), the zone of eligibility holds COG codes."""

    organization = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="services",
        verbose_name=_("structure"),
    )
    # Where the description comes from: « ancrage » for the services written here, the
    # producer's name (« dora »…) and its identifier for an imported one.
    source = models.CharField(_("source"), max_length=100, default=SOURCE)
    source_id = models.CharField(_("identifiant à la source"), max_length=200, blank=True)
    structure_ref = models.CharField(
        _("identifiant de la structure à la source"), max_length=200, blank=True
    )
    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("description"), max_length=10_000)
    source_url = models.URLField(_("lien vers la source"), max_length=500, blank=True)
    updated_on = models.DateField(_("date de mise à jour"))
    kind = models.CharField(_("type de service"), max_length=40, blank=True)
    themes = models.JSONField(_("thématiques"), default=list, blank=True)
    fees = models.CharField(_("frais"), max_length=20, blank=True)
    fees_details = models.TextField(_("précisions sur les frais"), max_length=2000, blank=True)
    publics = models.JSONField(_("publics"), default=list, blank=True)
    publics_details = models.TextField(_("précisions sur les publics"), max_length=2000, blank=True)
    access_conditions = models.TextField(_("conditions d'accès"), max_length=2000, blank=True)
    commune_name = models.CharField(_("commune"), max_length=150, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    insee_code = models.CharField(_("code commune (INSEE)"), max_length=5, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    address_complement = models.CharField(_("complément d'adresse"), max_length=300, blank=True)
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    reception_modes = models.JSONField(_("modes d'accueil"), default=list, blank=True)
    eligibility_zone = models.JSONField(_("zone d'éligibilité"), default=list, blank=True)
    contact_name = models.CharField(_("contact (nom et prénom)"), max_length=150, blank=True)
    mobilisation_url = models.URLField(_("lien de mobilisation"), max_length=500, blank=True)
    mobilisation_modes = models.JSONField(_("modes de mobilisation"), default=list, blank=True)
    mobilisable_by = models.JSONField(_("mobilisable par"), default=list, blank=True)
    mobilisation_details = models.TextField(
        _("précisions sur la mobilisation"), max_length=2000, blank=True
    )
    weekly_hours = models.FloatField(
        _("volume horaire hebdomadaire"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
    )
    weeks = models.PositiveIntegerField(
        _("nombre de semaines"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(520)],
    )
    opening_hours = models.CharField(_("horaires d'accueil"), max_length=500, blank=True)
    is_active = models.BooleanField(_("proposé"), default=True)
    # Accent- and case-free name and description, for the search box.
    search_text = models.TextField(editable=False, default="")

    external_ref = external_ref_field()

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "id"]
        constraints = [
            unique_external_ref(),
            models.UniqueConstraint(
                fields=["organization", "source", "source_id"],
                condition=~Q(source_id=""),
                name="catalogue_service_source_id_unique",
                violation_error_message=_("Ce service de la source est déjà au catalogue."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="catalogue_service_latitude_range",
                violation_error_message=_("Latitude hors de [-90, 90]."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="catalogue_service_longitude_range",
                violation_error_message=_("Longitude hors de [-180, 180]."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def theme_labels(self) -> list[str]:
        from ancrage.catalogue.vocabulary import label

        return [label("themes", code) for code in self.themes]


class TagKind(models.TextChoices):
    THEME = "theme", _("thématique")
    PUBLIC = "public", _("public")
    ZONE = "zone", _("zone d'éligibilité")


class ServiceTag(models.Model):
    """One code of a service's thématiques, publics or zone of eligibility, as a row: what the
    search filters on, the same way on PostgreSQL and SQLite (written with the service, from its
    lists, by ``catalogue.services`` only)."""

    service = models.ForeignKey(Service, models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=10, choices=TagKind.choices)
    code = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "kind", "code"], name="catalogue_servicetag_unique"
            ),
        ]
        indexes = [models.Index(fields=["kind", "code"], name="catalogue_tag_kind_code")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"

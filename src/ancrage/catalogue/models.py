"""The services catalogue: what organizations offer (mobility, health, sport, administrative
help…), described in the data·inclusion schema so that it travels to and from Dora and the other
tools of the insertion offer. A service carries no personal data of the people it serves."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
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


# ---------------------------------------------------------------------------------------------
# Packs: what a residence (or a program's residences) gives each resident, and what was used.


class Category(models.TextChoices):
    MOBILITY = "mobility", _("Mobilité")
    HEALTH = "health", _("Santé")
    CATERING = "catering", _("Restauration")
    SPORT = "sport", _("Sport")
    CULTURE = "culture", _("Culture")
    ADMIN = "admin", _("Aide administrative")


class Period(models.TextChoices):
    """How an entitlement renews (``catalogue.packs`` computes the pro rata)."""

    MONTH = "month", _("par mois")
    YEAR = "year", _("par année civile")
    STAY = "stay", _("pour tout le séjour")
    WEEK = "week", _("par semaine de présence")


class Payer(models.TextChoices):
    PACK = "pack", _("Le pack")
    RESIDENT = "resident", _("La personne")
    OTHER = "other", _("Un autre financeur")


class Pack(TimeStampedModel):
    """The services a residence manager gives every resident of some residences: a resident is
    someone with a booking or a lease there on that day, entitled from arrival to departure."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    name = models.CharField(_("nom"), max_length=150)
    program = models.ForeignKey(
        "programs.Program",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dispositif"),
    )
    residences = models.ManyToManyField(
        "housing.Residence", related_name="+", verbose_name=_("résidences")
    )
    starts_on = models.DateField(_("à partir du"))
    ends_on = models.DateField(_("jusqu'au (exclu)"), null=True, blank=True)

    objects = TeamScopedQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("pack de services")
        verbose_name_plural = _("packs de services")
        ordering = ["name", "id"]
        constraints = [
            unique_external_ref(),
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="catalogue_pack_unique_name",
                violation_error_message=_("Un pack porte déjà ce nom dans la structure."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="catalogue_pack_ends_after_start",
                violation_error_message=_("La fin du pack doit suivre son début."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def residence_ids(self) -> list[int]:
        return [residence.pk for residence in self.residences.all()]


class Entitlement(models.Model):
    """What each resident may use: ``quantity`` per ``period`` of a category, delivered by a
    service of the catalogue (its organization records the deliveries) or by the residence."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    pack = models.ForeignKey(
        Pack, models.CASCADE, related_name="entitlements", verbose_name=_("pack")
    )
    category = models.CharField(_("catégorie"), max_length=10, choices=Category.choices)
    label = models.CharField(_("intitulé"), max_length=150)
    quantity = models.PositiveIntegerField(
        _("quantité"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    period = models.CharField(_("période"), max_length=6, choices=Period.choices)
    service = models.ForeignKey(
        Service,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="entitlements",
        verbose_name=_("service du catalogue"),
    )

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("droit")
        verbose_name_plural = _("droits")
        ordering = ["category", "label", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pack", "label"],
                name="catalogue_entitlement_unique_label",
                violation_error_message=_("Ce pack a déjà un droit de cet intitulé."),
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values),
                name="catalogue_entitlement_category_valid",
                violation_error_message=_("Catégorie inconnue."),
            ),
            models.CheckConstraint(
                condition=Q(period__in=Period.values),
                name="catalogue_entitlement_period_valid",
                violation_error_message=_("Période inconnue."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=1000),
                name="catalogue_entitlement_quantity_range",
                violation_error_message=_("La quantité va de 1 à 1 000."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} — {self.quantity} {self.get_period_display()}"

    @property
    def provider_id(self) -> int | None:
        return self.service.organization_id if self.service is not None else None


class Opening(TimeStampedModel):
    """A resident opened by the manager to a provider, with the resident's consent: the
    provider's members see their first name, initial and entitlements, and record deliveries."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    pack = models.ForeignKey(Pack, models.CASCADE, related_name="openings", verbose_name=_("pack"))
    person = models.ForeignKey(
        "people.Person", models.CASCADE, related_name="+", verbose_name=_("résident·e")
    )
    provider = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="+",
        verbose_name=_("prestataire"),
    )
    consent_on = models.DateField(_("accord de la personne le"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("fermée le"), null=True, blank=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ouverture à un prestataire")
        verbose_name_plural = _("ouvertures aux prestataires")
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pack", "person", "provider"],
                condition=Q(closed_at__isnull=True),
                name="catalogue_opening_one_open",
                violation_error_message=_("Cette personne est déjà ouverte à ce prestataire."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pack} → {self.provider}"


class Delivery(TimeStampedModel):
    """One use of an entitlement by a resident (« prestation »), recorded by the residence staff
    or by the provider's members; the cost in cents."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("gestionnaire")
    )
    entitlement = models.ForeignKey(
        Entitlement, models.PROTECT, related_name="deliveries", verbose_name=_("droit")
    )
    person = models.ForeignKey(
        "people.Person", models.PROTECT, related_name="+", verbose_name=_("résident·e")
    )
    # The provider whose member recorded it; empty when the residence staff did.
    provider = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prestataire"),
    )
    delivered_on = models.DateField(_("date"))
    quantity = models.PositiveIntegerField(
        _("quantité"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    unit_cost_cents = models.PositiveIntegerField(
        _("coût unitaire (centimes)"), validators=[MaxValueValidator(100_000_00)]
    )
    payer = models.CharField(_("payé par"), max_length=10, choices=Payer.choices)
    reason_beyond = models.CharField(
        _("motif du dépassement"),
        max_length=300,
        blank=True,
        help_text=_("Obligatoire quand la prestation dépasse le droit restant."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("prestation")
        verbose_name_plural = _("prestations")
        ordering = ["-delivered_on", "-id"]
        indexes = [
            models.Index(
                fields=["entitlement", "person", "delivered_on"], name="catalogue_delivery_use"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=1000),
                name="catalogue_delivery_quantity_range",
                violation_error_message=_("La quantité va de 1 à 1 000."),
            ),
            models.CheckConstraint(
                condition=Q(unit_cost_cents__lte=100_000_00),
                name="catalogue_delivery_cost_range",
                violation_error_message=_("Le coût unitaire ne dépasse pas 100 000 €."),
            ),
            models.CheckConstraint(
                condition=Q(payer__in=Payer.values),
                name="catalogue_delivery_payer_valid",
                violation_error_message=_("Payeur inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entitlement.label} — {self.delivered_on:%d/%m/%Y}"

    @property
    def cost_cents(self) -> int:
        return self.quantity * self.unit_cost_cents

"""People supported by an organization, their resources and household."""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.queries import organizations_where
from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.models import (
    SEARCH_MAX,
    TimeStampedModel,
    external_ref_field,
    unique_external_ref,
)
from ancrage.core.phone import to_e164
from ancrage.core.text import fold
from ancrage.core.validation import check_day, check_no_bidi
from ancrage.people.enums import (
    DocumentKind,
    HousingSituation,
    Relationship,
    ResourceKind,
    Situation,
)

OLDEST_BIRTH_DATE = datetime.date(1900, 1, 1)


class PersonQuerySet(TeamScopedQuerySet):
    def visible_to(self, user):
        """The team's people, without the anonymised (statistics only) and, but for the members
        allowed to open the archive (``people.archive``), without the archived."""
        if not user.is_authenticated:
            return self.none()
        return (
            super()
            .visible_to(user)
            .filter(anonymised_on__isnull=True)
            .filter(
                Q(archived_on__isnull=True)
                | Q(organization_id__in=organizations_where(user, "people.archive"))
            )
        )

    def in_team_of(self, user):
        """The team's people whatever their lifecycle (the archive's own pages check the role)."""
        return super().visible_to(user).filter(anonymised_on__isnull=True)

    def active(self):
        return self.filter(archived_on__isnull=True, anonymised_on__isnull=True)

    def search(self, text: str):
        """By name (any order, accents and case ignored) or by phone number."""
        text = (text or "").strip()
        if not text:
            return self
        if len(text) > SEARCH_MAX or "\x00" in text:  # no name holds these: nothing, no query
            return self.none()
        digits = "".join(ch for ch in text if ch.isdigit())
        compact = "".join(text.split())
        if len(digits) >= 6 and (len(digits) > 12 or len(digits) < len(compact) - 1):
            # A social housing request number (SNE "numéro unique"): digits and a letter or two.
            return self.filter(
                enrollments__steps__kind="social_housing_request",
                enrollments__steps__reference__iexact=compact,
            ).distinct()
        if len(digits) >= 6 and len(digits) >= len(compact) - 1:
            tail = digits.lstrip("0")[-9:]
            return self.filter(phone__endswith=tail)
        condition = Q()
        for word in fold(text).split():
            condition &= Q(search_name__contains=word)
        return self.filter(condition)


class Person(TimeStampedModel):
    """Someone an organization supports. Belongs to one organization; sharing goes through a referral."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="people", verbose_name=_("structure")
    )
    last_name = models.CharField(_("nom"), max_length=150)
    first_name = models.CharField(_("prénom"), max_length=150)
    search_name = models.CharField(max_length=310, editable=False, db_index=True)
    identity_key = models.CharField(
        max_length=32,
        editable=False,
        blank=True,
        db_index=True,
        help_text=_(
            "Pseudonyme (empreinte du nom, du prénom et de la date de naissance) pour compter une "
            "personne une seule fois quand plusieurs structures la suivent."
        ),
    )
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    commune = models.ForeignKey(
        "core.Territory",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    situation = models.CharField(
        _("situation"), max_length=24, choices=Situation.choices, blank=True
    )
    housing_situation = models.CharField(
        _("situation de logement"), max_length=16, choices=HousingSituation.choices, blank=True
    )
    disability_recognised = models.BooleanField(
        _("handicap reconnu"),
        null=True,
        blank=True,
        help_text=_("Oui ou non seulement : aucune information médicale n'est enregistrée."),
    )
    informed_on = models.DateField(
        _("information sur ses droits donnée le"),
        null=True,
        blank=True,
        help_text=_(
            "Date à laquelle la personne a reçu l'information sur le traitement de ses données."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    # The RGPD lifecycle (privacy.retention): active, then archived (restricted to the
    # organization's administrators), then anonymised (names, contact details and free text gone;
    # the row stays for the statistics).
    external_ref = external_ref_field()
    archived_on = models.DateField(_("archivée le"), null=True, blank=True, editable=False)
    anonymised_on = models.DateField(_("anonymisée le"), null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne accompagnée")
        verbose_name_plural = _("personnes accompagnées")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(birth_date__gte=OLDEST_BIRTH_DATE),
                name="%(app_label)s_%(class)s_birth_date_plausible",
                violation_error_message=_("Date de naissance invraisemblable."),
            ),
            models.CheckConstraint(
                condition=Q(situation="") | Q(situation__in=Situation.values),
                name="%(app_label)s_%(class)s_situation_valid",
                violation_error_message=_("Situation inconnue."),
            ),
            models.CheckConstraint(
                condition=Q(housing_situation="")
                | Q(housing_situation__in=HousingSituation.values),
                name="%(app_label)s_%(class)s_housing_situation_valid",
                violation_error_message=_("Situation de logement inconnue."),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "birth_date"], name="people_person_org_birth")
        ]

    def __str__(self) -> str:
        if self.anonymised_on is not None:
            return f"Personne anonymisée n° {self.pk}"
        return f"{self.first_name} {self.last_name.upper()}"

    def save(self, *args, **kwargs):
        self.set_derived_fields()
        super().save(*args, **kwargs)

    def set_derived_fields(self) -> None:
        """The search name and the pseudonym, from the names (also before a bulk insert)."""
        self.search_name = fold(f"{self.last_name} {self.first_name}")
        self.identity_key = (
            ""
            if self.anonymised_on is not None
            else identity_key_for(self.last_name, self.first_name, self.birth_date)
        )

    def clean(self):
        super().clean()
        check_no_bidi(self.last_name, field="last_name", label=_("Nom"))
        check_no_bidi(self.first_name, field="first_name", label=_("Prénom"))
        today = timezone.localdate()
        if self.informed_on is not None:
            check_day(
                self.informed_on,
                field="informed_on",
                label=_("Information sur ses droits donnée le"),
            )
        if self.birth_date and self.birth_date > today:
            raise ValidationError(
                {"birth_date": _("La date de naissance ne peut pas être dans le futur.")}
            )
        if self.birth_date and self.birth_date < OLDEST_BIRTH_DATE:
            raise ValidationError(
                {"birth_date": _("Date de naissance invraisemblable (avant 1900).")}
            )
        if self.informed_on and self.informed_on > today:
            raise ValidationError({"informed_on": _("Cette date ne peut pas être dans le futur.")})
        self.phone = to_e164(self.phone) if self.phone else ""

    @property
    def age(self) -> int | None:
        return age_on(self.birth_date, timezone.localdate())


def identity_key_for(last_name: str, first_name: str, birth_date: datetime.date | None) -> str:
    """A keyed hash of the folded names and the birth date; empty without a birth date.

    The same person followed by two organizations (two rows) gets the same key, so that roll-ups
    count them once; the key cannot be turned back into a name without ``ANCRAGE_PSEUDONYM_KEY``.
    """
    if birth_date is None or not (last_name or "").strip():
        return ""
    message = f"{fold(last_name)}|{fold(first_name)}|{birth_date.isoformat()}".encode()
    secret = settings.ANCRAGE_PSEUDONYM_KEY.encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def age_on(birth_date: datetime.date | None, day: datetime.date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# A person's resources and household members: enough for any household, few enough that a form
# posted with a huge row count (or an API call with a huge list) is refused at no cost.
MAX_RESOURCES = 20
MAX_HOUSEHOLD = 20


class Resource(models.Model):
    """One monthly resource of a person (declared, not verified)."""

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="resources", verbose_name=_("personne")
    )
    kind = models.CharField(_("type de ressource"), max_length=20, choices=ResourceKind.choices)
    monthly_amount = models.DecimalField(_("montant mensuel (€)"), max_digits=9, decimal_places=2)

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_amount__gte=0),
                name="%(app_label)s_%(class)s_amount_not_negative",
                violation_error_message=_("Un montant de ressource ne peut pas être négatif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.monthly_amount} €"


class HouseholdMember(models.Model):
    """Someone who lives with the person (first name and year of birth only)."""

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="household", verbose_name=_("personne")
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    relationship = models.CharField(_("lien"), max_length=10, choices=Relationship.choices)
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"), null=True, blank=True)

    class Meta:
        verbose_name = _("membre du ménage")
        verbose_name_plural = _("membres du ménage")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.first_name} ({self.get_relationship_display()})"


class SharingObjection(models.Model):
    """The person refuses that their information be shared with this partner: no referral to it."""

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="sharing_objections", verbose_name=_("personne")
    )
    partner = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="+",
        verbose_name=_("structure partenaire"),
    )
    objected_on = models.DateField(_("opposition exprimée le"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("saisie par"),
    )

    class Meta:
        verbose_name = _("opposition au partage")
        verbose_name_plural = _("oppositions au partage")
        ordering = ["partner__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "partner"],
                name="%(app_label)s_%(class)s_once_per_partner",
                violation_error_message=_("Cette opposition est déjà enregistrée."),
            ),
        ]

    def __str__(self) -> str:
        return f"Opposition au partage avec {self.partner}"


class PersonMerge(models.Model):
    """A duplicate file merged into this one: what was moved, by whom, when. The history stays readable."""

    kept = models.ForeignKey(
        Person, models.CASCADE, related_name="merges", verbose_name=_("fiche conservée")
    )
    merged_person_id = models.PositiveBigIntegerField(_("numéro de la fiche fusionnée"))
    merged_name = models.CharField(_("nom de la fiche fusionnée"), max_length=310)
    moved = models.JSONField(_("éléments repris"), default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("fusionnée par"),
    )
    merged_at = models.DateTimeField(_("fusionnée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("fusion de fiches")
        verbose_name_plural = _("fusions de fiches")
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"Fiche n° {self.merged_person_id} ({self.merged_name}) fusionnée"


def _documents_storage():
    from ancrage.core.documents import storage

    return storage()


class PersonDocument(TimeStampedModel):
    """A file kept on a person's file (an ID, a payslip, a signed lease): stored outside the web
    root under a random name, served only to the team after an access check, deleted with the
    file's personal data."""

    organization = models.ForeignKey(
        "accounts.Organization", models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="documents", verbose_name=_("personne")
    )
    kind = models.CharField(_("type de document"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("intitulé"), max_length=150, blank=True)
    file = models.FileField(_("fichier"), storage=_documents_storage, max_length=200)
    content_type = models.CharField(_("format"), max_length=40)
    size = models.PositiveIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("déposé par"),
    )

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Type de document inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

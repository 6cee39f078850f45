"""Users (e-mail login), organizations, memberships (user × organization × role), API tokens."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fr import siret as stdnum_siret

from ancrage.accounts.enums import DEFAULT_MODULES, OrganizationKind, Role
from ancrage.core.access import action_roles
from ancrage.core.models import TimeStampedModel


def validate_siret(value: str) -> None:
    try:
        stdnum_siret.validate(value)
    except StdnumValidationError:
        raise ValidationError(
            _("SIRET invalide : 14 chiffres attendus, dont la clé de contrôle."),
            code="invalid_siret",
        ) from None


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A professional who logs in with an e-mail address. Access to data comes from memberships."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(
        _("exploitant de la plateforme"),
        default=False,
        help_text=_(
            "Accès à l'administration technique ; ne donne accès à aucune donnée personnelle."
        ),
    )
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_unique_email_ci"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Organizations in which ``user`` has an active membership."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            memberships__user=user, memberships__is_active=True, is_active=True
        ).distinct()


class Organization(TimeStampedModel):
    """Any legal body using the platform: landlord, CLLAJ, association, school, employer, funder…"""

    kind = models.CharField(_("type de structure"), max_length=32, choices=OrganizationKind.choices)
    name = models.CharField(_("nom"), max_length=200)
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        validators=[validate_siret],
        help_text=_("14 chiffres, sans espaces."),
    )
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    commune = models.ForeignKey(
        "core.Territory",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
        limit_choices_to={"kind": "commune"},
    )
    is_active = models.BooleanField(_("active"), default=True)
    # None: the modules of its kind (DEFAULT_MODULES); a list once its administration chose.
    modules = models.JSONField(
        _("modules utilisés"),
        null=True,
        blank=True,
        default=None,
        help_text=_("Vide : les modules habituels de ce type de structure."),
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=~Q(siret=""),
                name="%(app_label)s_%(class)s_unique_siret",
                violation_error_message=_("Une structure avec ce SIRET existe déjà."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Type de structure inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def modules_used(self) -> frozenset[str]:
        """The modules its menu shows and its pages open (see ``Module``)."""
        if self.modules is None:
            return frozenset(DEFAULT_MODULES.get(self.kind, ()))
        return frozenset(self.modules)

    def save(self, *args, **kwargs):
        self.siret = stdnum_siret.compact(self.siret) if self.siret else ""
        super().save(*args, **kwargs)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, organization__is_active=True, user__is_active=True)

    def visible_to(self, user):
        """A user's own memberships, and all memberships of organizations where they are in the team."""
        if not user.is_authenticated:
            return self.none()
        team_orgs = Membership.objects.filter(
            user=user,
            is_active=True,
            role__in=action_roles("team.read"),
            organization__is_active=True,
        ).values("organization_id")
        return self.filter(Q(user=user) | Q(organization_id__in=team_orgs))


class Membership(TimeStampedModel):
    """A user's role in one organization. A user may belong to several organizations."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="memberships", verbose_name=_("personne")
    )
    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="memberships", verbose_name=_("structure")
    )
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        ordering = ["organization__name", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                name="%(app_label)s_%(class)s_unique_user_organization",
                violation_error_message=_("Cette personne fait déjà partie de la structure."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="%(app_label)s_%(class)s_role_valid",
                violation_error_message=_("Rôle inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organization} ({self.get_role_display()})"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def usable(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal token for integrations. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="api_tokens", verbose_name=_("titulaire")
    )
    name = models.CharField(_("nom du jeton"), max_length=100)
    prefix = models.CharField(_("début du jeton"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

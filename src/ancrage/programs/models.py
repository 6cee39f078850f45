"""Programs (dispositifs): who runs them, with which partners and funders, where and when."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.core.models import TimeStampedModel
from ancrage.programs.enums import ParticipantRole, ProgramKind


class Program(TimeStampedModel):
    """A program such as a CLLAJ's yearly action, the apprentice-housing program or LIANES."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    kind = models.CharField(_("type de dispositif"), max_length=24, choices=ProgramKind.choices)
    description = models.TextField(_("présentation"), max_length=2000, blank=True)
    territory = models.ForeignKey(
        "core.Territory",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("territoire"),
        help_text=_("Commune, EPCI, département ou région ; vide pour un dispositif national."),
    )
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    outreach_retention_months = models.PositiveSmallIntegerField(
        _("conservation des personnes repérées (mois)"),
        default=12,
        help_text=_(
            "Une personne repérée dans un fichier de bailleur et jamais accompagnée est effacée "
            "après ce délai sans activité."
        ),
    )
    organizations = models.ManyToManyField(
        "accounts.Organization",
        through="ProgramParticipant",
        related_name="programs",
        verbose_name=_("structures"),
    )

    class Meta:
        verbose_name = _("dispositif")
        verbose_name_plural = _("dispositifs")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ProgramKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Type de dispositif inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("La fin ne peut pas précéder le début."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_running_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class ProgramParticipant(models.Model):
    """An organization's part in a program: it runs it, takes part in it, or funds it."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="participants", verbose_name=_("dispositif")
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="program_participations",
        verbose_name=_("structure"),
    )
    role = models.CharField(_("rôle"), max_length=10, choices=ParticipantRole.choices)

    class Meta:
        verbose_name = _("participation à un dispositif")
        verbose_name_plural = _("participations à des dispositifs")
        ordering = ["program__name", "role", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "organization"],
                name="%(app_label)s_%(class)s_once_per_program",
                violation_error_message=_("Cette structure participe déjà à ce dispositif."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=ParticipantRole.values),
                name="%(app_label)s_%(class)s_role_valid",
                violation_error_message=_("Rôle inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.get_role_display()} de {self.program}"


class ProgramContact(models.Model):
    """Someone to call at an organization of a program's network; when they hand over, the next
    contact is added and the previous one keeps their dates (the network's history)."""

    participant = models.ForeignKey(
        ProgramParticipant, models.CASCADE, related_name="contacts", verbose_name=_("structure")
    )
    name = models.CharField(_("nom"), max_length=150)
    function = models.CharField(_("fonction"), max_length=150, blank=True)
    email = models.EmailField(_("adresse e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    since = models.DateField(_("contact depuis"))
    until = models.DateField(_("contact jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact du réseau")
        verbose_name_plural = _("contacts du réseau")
        ordering = ["participant", "until", "-since", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="programs_contact_until_after_since",
                violation_error_message=_("La fin suit le début."),
            )
        ]

    def __str__(self) -> str:
        return self.name

"""Contacts (someone called, wrote or came in) and the desks where people are received."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import TeamScopedQuerySet
from ancrage.core.labels import enum_labels
from ancrage.core.models import TimeStampedModel, external_ref_field, unique_external_ref
from ancrage.people.enums import Situation
from ancrage.support.enums import (
    AgeBand,
    Channel,
    Direction,
    Outcome,
    Subject,
)


class Desk(TimeStampedModel):
    """A place where an organization receives people away from its main office (permanence délocalisée)."""

    organization = models.ForeignKey(
        "accounts.Organization", models.CASCADE, related_name="desks", verbose_name=_("structure")
    )
    name = models.CharField(_("nom"), max_length=150)
    commune = models.ForeignKey(
        "core.Territory",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    schedule = models.CharField(_("jours et horaires"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    external_ref = external_ref_field()

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("permanence délocalisée")
        verbose_name_plural = _("permanences délocalisées")
        ordering = ["name"]
        constraints = [
            unique_external_ref(),
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("Une permanence porte déjà ce nom."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """One contact: a call, an e-mail, a visit… with a known person, an anonymous one or a partner."""

    organization = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="contacts",
        verbose_name=_("structure"),
    )
    direction = models.CharField(
        _("sens"), max_length=8, choices=Direction.choices, default=Direction.INCOMING
    )
    channel = models.CharField(_("canal"), max_length=16, choices=Channel.choices)
    desk = models.ForeignKey(
        Desk,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("permanence"),
    )
    occurred_at = models.DateTimeField(_("date et heure"), default=timezone.now, db_index=True)
    subjects = models.JSONField(_("sujets"), default=list)
    person = models.ForeignKey(
        "people.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("personne"),
    )
    partner = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure partenaire"),
    )
    age_band = models.CharField(
        _("tranche d'âge"), max_length=8, choices=AgeBand.choices, blank=True
    )
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
    outcome = models.CharField(_("suite donnée"), max_length=12, choices=Outcome.choices)
    outcome_detail = models.CharField(
        _("précision"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : orienté·e vers la mission locale."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)
    external_ref = external_ref_field()

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-occurred_at"], name="support_contact_org_date")
        ]
        constraints = [
            unique_external_ref(),
            models.CheckConstraint(
                condition=Q(channel=Channel.OUTREACH_DESK, desk__isnull=False)
                | (~Q(channel=Channel.OUTREACH_DESK) & Q(desk__isnull=True)),
                name="%(app_label)s_%(class)s_desk_iff_outreach",
                violation_error_message=_(
                    "Une permanence n'est indiquée que pour un contact en permanence délocalisée."
                ),
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(partner__isnull=True),
                name="%(app_label)s_%(class)s_one_counterpart",
                violation_error_message=_(
                    "Un contact est avec une personne ou avec un partenaire, pas les deux."
                ),
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values),
                name="%(app_label)s_%(class)s_channel_valid",
                violation_error_message=_("Canal inconnu."),
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values),
                name="%(app_label)s_%(class)s_outcome_valid",
                violation_error_message=_("Suite donnée inconnue."),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_channel_display()} du {timezone.localtime(self.occurred_at):%d/%m/%Y %H:%M}"
        )

    @property
    def is_anonymous(self) -> bool:
        return self.person_id is None and self.partner_id is None

    def subject_labels(self) -> list[str]:
        labels = enum_labels(Subject)
        return [labels[value] for value in self.subjects if value in labels]


def with_subject(queryset, subject: str):
    """Contacts about ``subject``: a text match on the JSON list (portable to SQLite, codes are quoted)."""
    return queryset.filter(subjects__icontains=f'"{subject}"')

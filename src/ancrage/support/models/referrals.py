"""Referrals of a person from one organization to another, with consent."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.querysets import team_organization_ids
from ancrage.core.models import TimeStampedModel, external_ref_field, unique_external_ref
from ancrage.core.money import format_euros
from ancrage.core.phone import display as display_phone
from ancrage.people.enums import HousingSituation, Situation
from ancrage.support.enums import (
    SHAREABLE_FIELDS,
    ReferralStatus,
)
from ancrage.support.models.enrollments import Enrollment


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Referrals sent or received by an organization where the user is in the team."""
        if not user.is_authenticated:
            return self.none()
        orgs = team_organization_ids(user)
        return self.filter(Q(sender_id__in=orgs) | Q(receiver_id__in=orgs))


class Referral(TimeStampedModel):
    """One organization hands a person to another, with the person's consent.

    The receiver sees only ``shared_data`` (what the sender chose to share), never the sender's file;
    the sender sees the status, never the receiver's notes or enrollment.
    """

    sender = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="+",
        verbose_name=_("structure qui oriente"),
    )
    receiver = models.ForeignKey(
        "accounts.Organization",
        models.PROTECT,
        related_name="+",
        verbose_name=_("structure qui reçoit"),
    )
    person = models.ForeignKey(
        "people.Person",
        models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("personne (côté émetteur)"),
    )
    purpose = models.CharField(_("objet de l'orientation"), max_length=500)
    shared_data = models.JSONField(_("informations transmises"), default=dict)
    consent_on = models.DateField(_("consentement recueilli le"))
    sent_on = models.DateField(
        _("envoyée le"),
        default=timezone.localdate,
        help_text=_(
            "Le jour réel de l'envoi (une orientation reprise d'un historique garde sa date)."
        ),
    )
    status = models.CharField(
        _("état"), max_length=8, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    refusal_reason = models.CharField(_("motif du refus"), max_length=300, blank=True)
    decided_on = models.DateField(_("décision le"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("envoyée par")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    joint_assessment = models.BooleanField(
        _("diagnostic conjoint prévu"),
        default=False,
        help_text=_("La structure qui reçoit fait le diagnostic avec la structure qui oriente."),
    )
    receiver_enrollment = models.OneToOneField(
        Enrollment,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="referral",
        verbose_name=_("accompagnement ouvert par la structure qui reçoit"),
    )

    objects = ReferralQuerySet.as_manager()

    external_ref = external_ref_field()

    class Meta:
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        ordering = ["-sent_on", "-id"]
        constraints = [
            unique_external_ref("sender"),
            models.CheckConstraint(
                condition=~Q(sender=models.F("receiver")),
                name="%(app_label)s_%(class)s_not_to_itself",
                violation_error_message=_(
                    "Une structure ne s'oriente pas une personne à elle-même."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=_("État inconnu."),
            ),
            models.CheckConstraint(
                condition=(Q(status=ReferralStatus.SENT) & Q(decided_on__isnull=True))
                | (~Q(status=ReferralStatus.SENT) & Q(decided_on__isnull=False)),
                name="%(app_label)s_%(class)s_decided_iff_not_sent",
                violation_error_message=_(
                    "Une orientation décidée a une date de décision, et seulement elle."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.REFUSED) | ~Q(refusal_reason=""),
                name="%(app_label)s_%(class)s_refusal_has_reason",
                violation_error_message=_("Un refus est motivé."),
            ),
        ]

    def __str__(self) -> str:
        return f"Orientation vers {self.receiver} ({self.get_status_display()})"

    def shared_items(self) -> list[tuple[str, str]]:
        """(label, readable value) of what was shared, in the order of ``SHAREABLE_FIELDS``."""
        readable = {
            "birth_date": lambda v: datetime.date.fromisoformat(v).strftime("%d/%m/%Y"),
            "phone": display_phone,
            "commune": lambda v: v.get("name", ""),
            "situation": lambda v: Situation(v).label if v in Situation.values else "",
            "housing_situation": lambda v: (
                HousingSituation(v).label if v in HousingSituation.values else ""
            ),
            "monthly_resources": lambda v: format_euros(Decimal(v)),
        }
        return [
            (str(label), readable.get(key, str)(self.shared_data[key]))
            for key, label in SHAREABLE_FIELDS
            if self.shared_data.get(key) not in (None, "")
        ]

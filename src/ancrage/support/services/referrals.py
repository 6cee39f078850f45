"""Referrals: sending with the person's consent, accepting (with the receiver's enrollment), refusing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.enums import Module
from ancrage.accounts.permissions import require
from ancrage.core.actor import acting_as
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.people.queries import (
    find_possible_duplicates,
    monthly_resources_of,
    sharing_objection,
)
from ancrage.people.services import create_person
from ancrage.programs.queries import supporting_programs
from ancrage.support import notices
from ancrage.support.enums import (
    SHAREABLE_FIELDS,
    ReferralStatus,
)
from ancrage.support.models import (
    Enrollment,
    Referral,
)
from ancrage.support.services.enrollments import open_enrollment

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User
    from ancrage.people.models import Person


SHAREABLE_KEYS = [key for key, _label in SHAREABLE_FIELDS]


def _snapshot(person: Person, fields: Iterable[str]) -> dict[str, str | dict[str, str]]:
    values: dict[str, str | dict[str, str]] = {}
    for key in fields:
        if key == "birth_date":
            values[key] = person.birth_date.isoformat() if person.birth_date else ""
        elif key == "commune":
            values[key] = (
                {"code": person.commune.code, "name": person.commune.name} if person.commune else ""
            )
        elif key == "monthly_resources":
            values[key] = str(Decimal(monthly_resources_of(person)).quantize(Decimal("0.01")))
        else:
            values[key] = getattr(person, key)
    return values


def send_referral(
    *,
    person: Person,
    receiver: Organization,
    purpose: str,
    shared_fields: Iterable[str],
    consent_on: datetime.date,
    actor: User,
    sent_on: datetime.date | None = None,
    external_ref: str = "",
) -> Referral:
    """Orient a person to another organization with the minimum data the person agreed to share.

    ``sent_on``: the real day it was sent (history brought from elsewhere); default today.
    """
    require(actor, "support.record", person.organization_id)
    today = timezone.localdate()
    sent_on = sent_on or today
    errors = {}
    objection = sharing_objection(person, receiver)
    if receiver.pk == person.organization_id:
        errors["receiver"] = _("Choisissez une autre structure que la vôtre.")
    elif not receiver.is_active or Module.SUPPORT not in receiver.modules_used:
        errors["receiver"] = _(
            "%(receiver)s n'accompagne pas de personnes sur Ancrage : choisissez une structure "
            "de l'annuaire des partenaires."
        ) % {"receiver": receiver.name}
    elif objection is not None:
        errors["receiver"] = _(
            "%(person)s s'est opposé·e le %(date)s au partage de ses informations avec "
            "%(partner)s : l'orientation n'est pas possible."
        ) % {"person": person, "date": f"{objection.objected_on:%d/%m/%Y}", "partner": receiver}
    if not purpose.strip():
        errors["purpose"] = _("Indiquez l'objet de l'orientation.")
    fields = [key for key in SHAREABLE_KEYS if key in set(shared_fields)]
    if len(fields) != len(set(shared_fields)):
        errors["shared_fields"] = _("Information inconnue.")
    elif not {"last_name", "first_name"} <= set(fields):
        errors["shared_fields"] = _(
            "Le nom et le prénom sont nécessaires pour que la structure puisse recevoir la personne."
        )
    if consent_on is None:
        errors["consent_on"] = _("Le consentement de la personne est obligatoire.")
    elif consent_on > today:
        errors["consent_on"] = _("La date du consentement ne peut pas être dans le futur.")
    elif consent_on > sent_on:
        errors["consent_on"] = _("Le consentement se recueille avant l'envoi de l'orientation.")
    if sent_on > today:
        errors["sent_on"] = _("La date d'envoi ne peut pas être dans le futur.")
    if errors:
        raise ValidationError(errors)
    referral = Referral(
        sender_id=person.organization_id,
        receiver=receiver,
        person=person,
        purpose=purpose.strip(),
        shared_data=_snapshot(person, fields),
        consent_on=consent_on,
        sent_on=sent_on,
        sent_by=actor,
        external_ref=external_ref.strip(),
    )
    referral.full_clean()
    with acting_as(actor), transaction.atomic():
        referral.save()
        notices.referral_sent(referral)
    return referral


def _decision_day(referral: Referral, on: datetime.date | None) -> datetime.date:
    """The day of the answer: today, or a real past day not before the sending."""
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("La date de la réponse ne peut pas être dans le futur.")})
    if on < referral.sent_on:
        raise ValidationError(
            {
                "on": _("La réponse ne peut pas précéder l'envoi (%(date)s).")
                % {"date": f"{referral.sent_on:%d/%m/%Y}"}
            }
        )
    return on


def _answerable(referral: Referral) -> Referral:
    """The referral, locked, still waiting for an answer."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status != ReferralStatus.SENT:
        raise ValidationError(_("Cette orientation a déjà reçu une réponse."))
    return locked


def accept_referral(
    *,
    referral: Referral,
    actor: User,
    joint_assessment: bool = False,
    on: datetime.date | None = None,
) -> Referral:
    """The receiver accepts: the person gets a file and a request for support in the receiver's organization.

    With ``joint_assessment`` the receiver plans to assess the person together with the sender.
    ``on``: the real day of the answer (history brought from elsewhere); default today.
    """
    require(actor, "support.record", referral.receiver_id)
    with transaction.atomic():
        locked = _answerable(referral)
        on = _decision_day(locked, on)
        data = locked.shared_data
        person_data = {
            "last_name": data.get("last_name", ""),
            "first_name": data.get("first_name", ""),
            "birth_date": datetime.date.fromisoformat(data["birth_date"])
            if data.get("birth_date")
            else None,
            "phone": data.get("phone", ""),
            "email": data.get("email", ""),
            "situation": data.get("situation", ""),
            "housing_situation": data.get("housing_situation", ""),
        }
        if data.get("commune"):
            person_data["commune"] = Territory.objects.filter(
                kind=TerritoryKind.COMMUNE, code=data["commune"]["code"]
            ).first()
        existing = find_possible_duplicates(
            organization=locked.receiver,
            last_name=person_data["last_name"],
            first_name=person_data["first_name"],
            birth_date=person_data["birth_date"],
        )
        if len(existing) == 1:
            person = existing[0]
        else:
            person = create_person(
                organization=locked.receiver,
                actor=actor,
                **person_data,
                confirmed_not_duplicate=True,
            )
        if Enrollment.objects.open().filter(organization=locked.receiver, person=person).exists():
            enrollment = Enrollment.objects.open().get(organization=locked.receiver, person=person)
        else:
            programs = list(supporting_programs(locked.receiver, on=on)[:2])
            enrollment = open_enrollment(
                person=person,
                referent=actor,
                requested_on=on,
                program=programs[0] if len(programs) == 1 else None,
                actor=actor,
            )
        with acting_as(actor):
            locked.status = ReferralStatus.ACCEPTED
            locked.decided_on = on
            locked.decided_by = actor
            locked.receiver_enrollment = enrollment
            locked.joint_assessment = joint_assessment
            locked.save()
        notices.referral_decided(locked)
    return locked


def refuse_referral(
    *, referral: Referral, reason: str, actor: User, on: datetime.date | None = None
) -> Referral:
    require(actor, "support.record", referral.receiver_id)
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Indiquez le motif du refus : la structure qui oriente en sera informée.")}
        )
    with acting_as(actor), transaction.atomic():
        locked = _answerable(referral)
        locked.status = ReferralStatus.REFUSED
        locked.refusal_reason = reason.strip()
        locked.decided_on = _decision_day(locked, on)
        locked.decided_by = actor
        locked.save()
        notices.referral_decided(locked)
    return locked

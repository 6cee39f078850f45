"""Writes on support records. Keyword-only, the acting user last, one transaction, audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.accounts.enums import WRITE_ROLES
from ancrage.accounts.queries import role_in
from ancrage.core.actor import acting_as
from ancrage.support.enums import Channel, Subject
from ancrage.support.models import Contact, Desk

CONTACT_FIELDS = (
    "direction",
    "channel",
    "desk",
    "occurred_at",
    "subjects",
    "person",
    "partner",
    "age_band",
    "commune",
    "situation",
    "outcome",
    "outcome_detail",
)


def _check_can_write(actor, organization) -> None:
    if role_in(actor, organization) not in WRITE_ROLES:
        raise PermissionDenied(
            _("Votre rôle ne permet pas d'enregistrer de contact pour cette structure.")
        )


def record_contact(*, organization, data: dict, actor) -> Contact:
    """Log one contact. Anonymous contacts keep only an age band, a commune and a situation."""
    _check_can_write(actor, organization)
    contact = Contact(organization=organization, recorded_by=actor)
    for key in CONTACT_FIELDS:
        if key in data:
            setattr(contact, key, data[key])
    errors = {}
    subjects = list(dict.fromkeys(contact.subjects or []))
    if not subjects:
        errors["subjects"] = _("Cochez au moins un sujet.")
    elif any(value not in Subject.values for value in subjects):
        errors["subjects"] = _("Sujet inconnu.")
    contact.subjects = subjects
    if contact.channel == Channel.OUTREACH_DESK and contact.desk is None:
        errors["desk"] = _("Indiquez la permanence délocalisée où a eu lieu le contact.")
    if contact.channel != Channel.OUTREACH_DESK:
        contact.desk = None
    if contact.desk is not None and contact.desk.organization_id != organization.pk:
        errors["desk"] = _("Cette permanence n'appartient pas à votre structure.")
    if contact.person is not None and contact.person.organization_id != organization.pk:
        errors["person"] = _("Cette personne n'est pas suivie par votre structure.")
    if contact.person is not None or contact.partner is not None:
        # Known counterparts need no anonymous description.
        contact.age_band, contact.commune, contact.situation = "", None, ""
    if errors:
        raise ValidationError(errors)
    contact.full_clean()
    with acting_as(actor), transaction.atomic():
        contact.save()
    return contact


def create_desk(*, organization, name: str, commune=None, schedule: str = "", actor) -> Desk:
    if role_in(actor, organization) not in {"admin", "coordinator"}:
        raise PermissionDenied(_("Seule la coordination ou l'administration gère les permanences."))
    desk = Desk(
        organization=organization, name=name.strip(), commune=commune, schedule=schedule.strip()
    )
    desk.full_clean()
    with acting_as(actor), transaction.atomic():
        desk.save()
    return desk

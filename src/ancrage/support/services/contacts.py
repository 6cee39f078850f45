"""Recording contacts; desks."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.accounts.permissions import require
from ancrage.audit.recorder import bulk_create
from ancrage.core.actor import acting_as
from ancrage.core.assign import UNSET, Maybe, assign
from ancrage.core.models import Territory
from ancrage.core.validation import check_day
from ancrage.support.enums import (
    Channel,
    Subject,
)
from ancrage.support.models import (
    Contact,
    Desk,
)

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User
    from ancrage.people.models import Person

SUBJECTS = frozenset(Subject.values)
CONTACT_DAY = gettext_lazy("Date du contact")


def record_contact(
    *,
    organization: Organization,
    actor: User,
    channel: str,
    subjects: Iterable[str],
    outcome: str,
    direction: Maybe[str] = UNSET,
    desk: Desk | None = None,
    occurred_at: Maybe[datetime.datetime] = UNSET,
    person: Person | None = None,
    partner: Organization | None = None,
    age_band: str = "",
    commune: Territory | None = None,
    situation: str = "",
    outcome_detail: str = "",
    external_ref: str = "",
) -> Contact:
    """Log one contact. Anonymous contacts keep only an age band, a commune and a situation.
    ``external_ref``: the contact's id in the system it comes from (unique per organization)."""
    contact = prepare_contact(
        organization=organization,
        actor=actor,
        channel=channel,
        subjects=subjects,
        outcome=outcome,
        direction=direction,
        desk=desk,
        occurred_at=occurred_at,
        person=person,
        partner=partner,
        age_band=age_band,
        commune=commune,
        situation=situation,
        outcome_detail=outcome_detail,
        external_ref=external_ref,
    )
    with acting_as(actor), transaction.atomic():
        contact.save()
    return contact


def save_contacts(contacts: list[Contact], *, actor: User, on: Model) -> list[Contact]:
    """Save contacts prepared by ``prepare_contact`` in one insert (an import): one audit event
    on ``on`` (the organization) says how many. The database refuses a duplicate reference."""
    with acting_as(actor), transaction.atomic():
        return bulk_create("support.bulk_load", Contact, contacts, on=on)


def prepare_contact(
    *,
    organization: Organization,
    actor: User,
    channel: str,
    subjects: Iterable[str],
    outcome: str,
    direction: Maybe[str] = UNSET,
    desk: Desk | None = None,
    occurred_at: Maybe[datetime.datetime] = UNSET,
    person: Person | None = None,
    partner: Organization | None = None,
    age_band: str = "",
    commune: Territory | None = None,
    situation: str = "",
    outcome_detail: str = "",
    external_ref: str = "",
    bulk: bool = False,
) -> Contact:
    """A contact checked but not saved (``record_contact`` saves one, ``save_contacts`` many).
    ``bulk``: the records given are real and the database checks the unique constraints at
    insert, so the row-by-row queries of those checks are skipped."""
    require(actor, "support.record", organization)
    if occurred_at is not UNSET:
        # A contact has happened: not after today (nor before 1900).
        check_day(occurred_at, field="occurred_at", label=CONTACT_DAY, future_years=None)
    contact = Contact(
        organization=organization,
        recorded_by=actor,
        subjects=list(subjects),
        external_ref=external_ref,
    )
    assign(
        contact,
        channel=channel,
        outcome=outcome,
        direction=direction,
        desk=desk,
        occurred_at=occurred_at,
        person=person,
        partner=partner,
        age_band=age_band,
        commune=commune,
        situation=situation,
        outcome_detail=outcome_detail,
    )
    errors = {}
    subjects = list(dict.fromkeys(contact.subjects or []))
    if not subjects:
        errors["subjects"] = _("Cochez au moins un sujet.")
    elif not SUBJECTS.issuperset(subjects):
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
    if bulk:
        contact.full_clean(
            exclude=["organization", "recorded_by", "desk", "person", "partner", "commune"],
            validate_constraints=False,
        )
    else:
        contact.full_clean()
    return contact


def create_desk(
    *,
    organization: Organization,
    name: str,
    commune: Territory | None = None,
    schedule: str = "",
    actor: User,
    external_ref: str = "",
) -> Desk:
    require(actor, "support.desks", organization)
    desk = Desk(
        organization=organization,
        name=name.strip(),
        commune=commune,
        schedule=schedule.strip(),
        external_ref=external_ref.strip(),
    )
    desk.full_clean()
    with acting_as(actor), transaction.atomic():
        desk.save()
    return desk


def link_contact_to_person(*, contact: Contact, person: Person, actor: User) -> Contact:
    """An anonymous contact turns out to be someone the team now follows: the contact is theirs
    from then on (in their timeline and the indicators), and its anonymous description — age
    band, commune, situation — gives way to the person's file."""
    require(actor, "support.record", contact.organization_id)
    if contact.person_id is not None or contact.partner_id is not None:
        raise ValidationError({"person": _("Ce contact n'est pas anonyme : il est déjà rattaché.")})
    if person.organization_id != contact.organization_id:
        raise ValidationError({"person": _("Cette personne n'est pas suivie par votre structure.")})
    with acting_as(actor), transaction.atomic():
        contact.person = person
        contact.age_band, contact.commune, contact.situation = "", None, ""
        contact.full_clean()
        contact.save()
    return contact

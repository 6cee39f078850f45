"""Appointments and the counsellors' calendar feeds."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import can, require
from ancrage.core.actor import acting_as
from ancrage.core.validation import check_day
from ancrage.support.enums import (
    AppointmentStatus,
)
from ancrage.support.models import (
    Appointment,
    CalendarFeed,
    Desk,
)

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.people.models import Person


def schedule_appointment(
    *,
    person: Person,
    counsellor: User,
    starts_at: datetime.datetime,
    actor: User,
    duration_minutes: int = 45,
    desk: Desk | None = None,
    place: str = "",
    purpose: str = "",
    external_ref: str = "",
) -> Appointment:
    """An appointment in a counsellor's calendar, with a person of the same organization."""
    organization_id = person.organization_id
    require(actor, "support.record", organization_id)
    check_day(starts_at, field="starts_at", label=_("Date du rendez-vous"))
    errors = {}
    if not can(counsellor, "support.record", organization_id):
        errors["counsellor"] = _("Le ou la conseiller·ère doit faire partie de l'équipe.")
    if desk is not None and desk.organization_id != organization_id:
        errors["desk"] = _("Cette permanence n'appartient pas à votre structure.")
    if errors:
        raise ValidationError(errors)
    appointment = Appointment(
        organization_id=organization_id,
        person=person,
        counsellor=counsellor,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        desk=desk,
        place=place.strip(),
        purpose=purpose.strip(),
        created_by=actor,
        external_ref=external_ref.strip(),
    )
    appointment.full_clean()
    with acting_as(actor), transaction.atomic():
        appointment.save()
    return appointment


def set_appointment_status(*, appointment: Appointment, status: str, actor: User) -> Appointment:
    """Honoured or missed once it has begun; cancelled at any time; back to planned to correct."""
    require(actor, "support.record", appointment.organization_id)
    if status not in AppointmentStatus.values:
        raise ValidationError({"status": _("État inconnu.")})
    if (
        status in (AppointmentStatus.HONOURED, AppointmentStatus.MISSED)
        and appointment.starts_at > timezone.now()
    ):
        raise ValidationError(
            {"status": _("Le rendez-vous n'a pas encore eu lieu : il peut seulement être annulé.")}
        )
    appointment.status = status
    with acting_as(actor), transaction.atomic():
        appointment.save(update_fields=["status", "updated_at"])
    return appointment


def _feed_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_calendar_feed(*, actor: User) -> str:
    """A new private calendar address for ``actor``; any previous one stops working. Returns the key."""
    key = secrets.token_urlsafe(32)
    with acting_as(actor), transaction.atomic():
        CalendarFeed.objects.filter(user=actor).delete()
        CalendarFeed.objects.create(user=actor, key_hash=_feed_hash(key))
    return key


def revoke_calendar_feed(*, actor: User) -> None:
    with acting_as(actor), transaction.atomic():
        CalendarFeed.objects.filter(user=actor).delete()


def calendar_feed_for_key(key: str) -> CalendarFeed | None:
    """The feed a key opens, if it is still valid and its owner still active; marks it read."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(key_hash=_feed_hash(key or ""), user__is_active=True)
        .first()
    )
    if feed is not None:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed

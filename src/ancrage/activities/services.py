"""Writes on collective actions. Keyword-only, the acting user last, one transaction, audited."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.activities.enums import ActivityKind
from ancrage.activities.models import Activity, Attendance, Session
from ancrage.core.actor import acting_as
from ancrage.core.assign import UNSET, Maybe, assign
from ancrage.core.validation import check_day

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User
    from ancrage.people.models import Person
    from ancrage.support.models import Desk


def create_activity(
    *,
    organization: Organization,
    kind: str,
    title: str,
    actor: User,
    description: str = "",
    external_ref: str = "",
) -> Activity:
    require(actor, "activities.manage", organization.pk)
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": _("Type d'action inconnu.")})
    activity = Activity(
        organization=organization,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        external_ref=external_ref.strip(),
    )
    activity.full_clean()
    with acting_as(actor), transaction.atomic():
        activity.save()
    return activity


def update_activity(
    *,
    activity: Activity,
    actor: User,
    kind: Maybe[str] = UNSET,
    title: Maybe[str] = UNSET,
    description: Maybe[str] = UNSET,
    is_active: Maybe[bool] = UNSET,
) -> Activity:
    require(actor, "activities.manage", activity.organization_id)
    assign(activity, kind=kind, title=title, description=description, is_active=is_active)
    activity.full_clean()
    with acting_as(actor), transaction.atomic():
        activity.save()
    return activity


def schedule_session(
    *,
    activity: Activity,
    starts_at: datetime.datetime,
    actor: User,
    duration_minutes: int = 120,
    place: str = "",
    desk: Desk | None = None,
    note: str = "",
    external_ref: str = "",
) -> Session:
    """A session of the activity; at a decentralised desk of the same organization, or elsewhere."""
    require(actor, "activities.manage", activity.organization_id)
    check_day(starts_at, field="starts_at", label=_("Date de la séance"))
    if desk is not None and desk.organization_id != activity.organization_id:
        raise ValidationError({"desk": _("Cette permanence n'appartient pas à votre structure.")})
    session = Session(
        organization_id=activity.organization_id,
        activity=activity,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place.strip(),
        desk=desk,
        note=note.strip(),
        external_ref=external_ref.strip(),
    )
    if not session.place and desk is None:
        raise ValidationError({"place": _("Indiquez le lieu ou la permanence de la séance.")})
    session.full_clean()
    with acting_as(actor), transaction.atomic():
        session.save()
    return session


def _check_started(session: Session) -> None:
    if not session.has_started:
        raise ValidationError(
            _("La séance n'a pas encore eu lieu : la présence se note le jour même ou après.")
        )


def record_attendance(*, session: Session, person: Person, actor: User) -> Attendance:
    """A named person came. Only a person followed by the organization that runs the session."""
    require(actor, "activities.manage", session.organization_id)
    _check_started(session)
    if person.organization_id != session.organization_id:
        raise ValidationError({"person": _("Cette personne n'est pas suivie par votre structure.")})
    if Attendance.objects.filter(session=session, person=person).exists():
        raise ValidationError(
            {"person": _("%(person)s est déjà notée présente.") % {"person": person}}
        )
    try:
        with acting_as(actor), transaction.atomic():
            return Attendance.objects.create(session=session, person=person, recorded_by=actor)
    except IntegrityError:
        # A colleague recorded the same person at the same instant.
        raise ValidationError(
            {"person": _("%(person)s est déjà notée présente.") % {"person": person}}
        ) from None


def record_attendances(
    *, session: Session, people: Sequence[Person], actor: User
) -> list[Attendance]:
    """Several people came (the regulars ticked on the session's page): all recorded or none. Those
    already noted present are left as they are; returns the attendances created."""
    require(actor, "activities.manage", session.organization_id)
    _check_started(session)
    if not people:
        raise ValidationError({"persons": _("Cochez au moins une personne présente.")})
    strangers = [p for p in people if p.organization_id != session.organization_id]
    if strangers:
        raise ValidationError(
            {"persons": _("Cette personne n'est pas suivie par votre structure.")}
        )
    present = set(
        Attendance.objects.filter(session=session, person__in=people).values_list(
            "person_id", flat=True
        )
    )
    new = {p.pk: p for p in people if p.pk not in present}
    with acting_as(actor), transaction.atomic():
        return [
            Attendance.objects.create(session=session, person=person, recorded_by=actor)
            for person in new.values()
        ]


def remove_attendance(*, attendance: Attendance, actor: User) -> None:
    """Undo a presence recorded by mistake."""
    require(actor, "activities.manage", attendance.session.organization_id)
    with acting_as(actor), transaction.atomic():
        attendance.delete()


def set_anonymous_count(*, session: Session, count: int, actor: User) -> Session:
    """How many came without being named (a fair, an information session open to all)."""
    require(actor, "activities.manage", session.organization_id)
    _check_started(session)
    if count is None or count < 0:
        raise ValidationError(
            {"anonymous_count": _("Le nombre de participant·es ne peut pas être négatif.")}
        )
    if count > 10000:
        raise ValidationError({"anonymous_count": _("Nombre invraisemblable (plus de 10 000).")})
    with acting_as(actor), transaction.atomic():
        session.anonymous_count = count
        session.save(update_fields=["anonymous_count", "updated_at"])
    return session

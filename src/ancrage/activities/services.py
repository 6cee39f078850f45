"""Writes on collective actions. Keyword-only, the acting user last, one transaction, audited."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import can, require
from ancrage.activities import rules
from ancrage.activities.enums import ActivityKind
from ancrage.activities.models import Activity, Attendance, Registration, Session
from ancrage.core.actor import acting_as
from ancrage.core.assign import UNSET, Maybe, assign
from ancrage.core.validation import check_day
from ancrage.housing import services as housing_services

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User
    from ancrage.housing.models import CommonSpace, Residence
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
    residence: Residence | None = None,
    proposed_by: Person | None = None,
) -> Activity:
    require(actor, "activities.manage", organization.pk)
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": _("Type d'action inconnu.")})
    _check_residence(organization.pk, residence, proposed_by)
    activity = Activity(
        organization=organization,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        external_ref=external_ref.strip(),
        residence=residence,
        proposed_by=proposed_by,
    )
    activity.full_clean()
    with acting_as(actor), transaction.atomic():
        activity.save()
    return activity


def _check_residence(
    organization_id: int, residence: Residence | None, proposed_by: Person | None
) -> None:
    if residence is not None and residence.organization_id != organization_id:
        raise ValidationError(
            {"residence": _("Cette résidence n'est pas gérée par votre structure.")}
        )
    if proposed_by is not None and proposed_by.organization_id != organization_id:
        raise ValidationError(
            {"proposed_by": _("Cette personne n'est pas suivie par votre structure.")}
        )


def update_activity(
    *,
    activity: Activity,
    actor: User,
    kind: Maybe[str] = UNSET,
    title: Maybe[str] = UNSET,
    description: Maybe[str] = UNSET,
    is_active: Maybe[bool] = UNSET,
    residence: Maybe[Residence | None] = UNSET,
    proposed_by: Maybe[Person | None] = UNSET,
) -> Activity:
    require(actor, "activities.manage", activity.organization_id)
    _check_residence(
        activity.organization_id,
        None if residence is UNSET else residence,
        None if proposed_by is UNSET else proposed_by,
    )
    assign(
        activity,
        kind=kind,
        title=title,
        description=description,
        is_active=is_active,
        residence=residence,
        proposed_by=proposed_by,
    )
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
    space: CommonSpace | None = None,
) -> Session:
    """A session of the activity; at a decentralised desk of the same organization, in a common
    space of one of its residences (the slot is booked with it, refused if taken), or elsewhere."""
    require(actor, "activities.manage", activity.organization_id)
    check_day(starts_at, field="starts_at", label=_("Date de la séance"))
    if desk is not None and desk.organization_id != activity.organization_id:
        raise ValidationError({"desk": _("Cette permanence n'appartient pas à votre structure.")})
    if space is not None and space.organization_id != activity.organization_id:
        raise ValidationError({"space": _("Cet espace n'est pas dans vos résidences.")})
    place = place.strip()
    if space is not None and not place:
        place = f"{space.name} — {space.residence.name}"[:200]
    session = Session(
        organization_id=activity.organization_id,
        activity=activity,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        desk=desk,
        note=note.strip(),
        external_ref=external_ref.strip(),
    )
    if not session.place and desk is None:
        raise ValidationError({"place": _("Indiquez le lieu ou la permanence de la séance.")})
    session.full_clean()
    with acting_as(actor), transaction.atomic():
        if space is not None:
            session.space_booking = housing_services.book_space(
                space=space,
                actor=actor,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=duration_minutes),
                purpose=activity.title[:150],
            )
        session.save()
    return session


def cancel_session(*, session: Session, actor: User) -> None:
    """Remove a session entered by mistake or called off, and free its common-space slot. A
    session where someone was noted present stays (its attendances are its history)."""
    require(actor, "activities.manage", session.organization_id)
    if session.attendances.exists() or session.anonymous_count:
        raise ValidationError(
            _("Des présences sont notées pour cette séance : retirez-les d'abord.")
        )
    with acting_as(actor), transaction.atomic():
        booking = session.space_booking
        session.delete()
        if booking is not None and booking.is_active:
            housing_services.cancel_space_booking(booking=booking, actor=actor)


def register(*, session: Session, person: Person, actor: User) -> Registration:
    """Sign ``person`` up for a session still to come, within the common space's capacity."""
    require(actor, "activities.manage", session.organization_id)
    if session.has_started:
        raise ValidationError({"person": _("La séance a commencé : les inscriptions sont closes.")})
    if person.organization_id != session.organization_id:
        raise ValidationError({"person": _("Cette personne n'est pas suivie par votre structure.")})
    if Registration.objects.filter(session=session, person=person).exists():
        raise ValidationError({"person": _("%(person)s est déjà inscrite.") % {"person": person}})
    rules.check_registration(session, person)
    with acting_as(actor), transaction.atomic():
        # One registration at a time per session: the capacity holds under concurrent requests.
        locked = Session.objects.select_for_update(of=("self",)).select_related(
            "space_booking__space"
        )
        capacity = _capacity(locked.get(pk=session.pk))
        if capacity is not None and session.registrations.count() >= capacity:
            raise ValidationError(
                {"person": _("Complet : %(n)s places, toutes prises.") % {"n": capacity}}
            )
        try:
            with transaction.atomic():
                return Registration.objects.create(
                    session=session, person=person, recorded_by=actor
                )
        except IntegrityError:
            raise ValidationError(
                {"person": _("%(person)s est déjà inscrite.") % {"person": person}}
            ) from None


def _capacity(session: Session) -> int | None:
    booking = session.space_booking
    return booking.space.capacity if booking is not None else None


def unregister(*, registration: Registration, actor: User) -> None:
    require(actor, "activities.manage", registration.session.organization_id)
    with acting_as(actor), transaction.atomic():
        registration.delete()


def _check_started(session: Session) -> None:
    if not session.has_started:
        raise ValidationError(
            _("La séance n'a pas encore eu lieu : la présence se note le jour même ou après.")
        )


def _require_attendance(actor: User, session: Session, person: Person) -> None:
    """The session's team notes who came; so may a partner that delivers it for the people it
    was opened to (``rules.attendance_granted``)."""
    if not can(actor, "activities.manage", session.organization_id) and not (
        rules.attendance_granted(actor, session, person)
    ):
        require(actor, "activities.manage", session.organization_id)


def record_attendance(*, session: Session, person: Person, actor: User) -> Attendance:
    """A named person came. Only a person followed by the organization that runs the session."""
    _require_attendance(actor, session, person)
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
    _require_attendance(actor, attendance.session, attendance.person)
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

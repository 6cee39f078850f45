"""The enrollment lifecycle (docs/lifecycles.md) and the follow-ups after an exit."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import can, require
from ancrage.core.actor import acting_as
from ancrage.core.dates import add_months
from ancrage.programs.queries import supporting_programs
from ancrage.support.enums import (
    CLOSED_STATUSES,
    FOLLOW_UP_MONTHS,
    EnrollmentStatus,
    ExitOutcome,
    FollowUpActivity,
    FollowUpHousing,
)
from ancrage.support.models import (
    Enrollment,
    EnrollmentEvent,
    Exit,
    FollowUp,
)

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.people.models import Person
    from ancrage.programs.models import Program


TRANSITIONS = {
    "start_assessment": ({EnrollmentStatus.REQUESTED}, EnrollmentStatus.ASSESSMENT),
    "start_support": (
        {EnrollmentStatus.REQUESTED, EnrollmentStatus.ASSESSMENT},
        EnrollmentStatus.SUPPORT,
    ),
    "refuse": ({EnrollmentStatus.REQUESTED, EnrollmentStatus.ASSESSMENT}, EnrollmentStatus.REFUSED),
    "abandon": ({EnrollmentStatus.ASSESSMENT, EnrollmentStatus.SUPPORT}, EnrollmentStatus.DROPPED),
    "close": ({EnrollmentStatus.ASSESSMENT, EnrollmentStatus.SUPPORT}, EnrollmentStatus.EXITED),
}


def open_enrollment(
    *,
    person: Person,
    referent: User,
    requested_on: datetime.date,
    actor: User,
    program: Program | None = None,
    external_ref: str = "",
    pathway: str = "",
) -> Enrollment:
    """A request for support: the first step of an enrollment, in the person's organization.

    ``program``: a program the organization runs or takes part in, running on ``requested_on``.
    ``external_ref``: the enrollment's id in the system it comes from (unique per organization).
    ``pathway``: the kind of individual pathway (``Pathway``), if the program types them.
    """
    organization = person.organization
    require(actor, "support.record", organization)
    if program is not None and not supporting_programs(organization).filter(pk=program.pk).exists():
        raise ValidationError(
            {"program": _("Votre structure ne porte pas ce dispositif et n'y est pas partenaire.")}
        )
    if program is not None and not program.is_running_on(requested_on):
        raise ValidationError(
            {"program": _("Ce dispositif n'est pas en cours à la date de la demande.")}
        )
    if not can(referent, "support.record", organization):
        raise ValidationError(
            {"referent": _("Le ou la référent·e doit faire partie de l'équipe de la structure.")}
        )
    if requested_on > timezone.localdate():
        raise ValidationError(
            {"requested_on": _("La date de demande ne peut pas être dans le futur.")}
        )
    enrollment = Enrollment(
        organization=organization,
        person=person,
        program=program,
        referent=referent,
        requested_on=requested_on,
        external_ref=external_ref.strip(),
        pathway=pathway,
    )
    enrollment.full_clean()
    with acting_as(actor), transaction.atomic():
        enrollment.save()
        EnrollmentEvent.objects.create(
            enrollment=enrollment, to_status=enrollment.status, on=requested_on, actor=actor
        )
    return enrollment


def _transition(
    *, enrollment: Enrollment, action: str, on: datetime.date, actor: User, note: str = ""
) -> Enrollment:
    require(actor, "support.record", enrollment.organization_id)
    allowed_from, target = TRANSITIONS[action]
    with acting_as(actor), transaction.atomic():
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if locked.status not in allowed_from:
            raise ValidationError(
                _("Impossible depuis l'étape « %(status)s ».")
                % {"status": locked.get_status_display()}
            )
        if on < locked.requested_on:
            raise ValidationError(
                {
                    "on": _("La date ne peut pas précéder la demande (%(date)s).")
                    % {"date": f"{locked.requested_on:%d/%m/%Y}"}
                }
            )
        if on > timezone.localdate():
            raise ValidationError({"on": _("La date ne peut pas être dans le futur.")})
        previous = locked.status
        locked.status = target
        if target == EnrollmentStatus.SUPPORT:
            locked.started_on = on
        if target in CLOSED_STATUSES:
            locked.ended_on = on
        locked.full_clean()
        locked.save()
        EnrollmentEvent.objects.create(
            enrollment=locked,
            from_status=previous,
            to_status=target,
            on=on,
            note=note.strip(),
            actor=actor,
        )
    return locked


def start_assessment(*, enrollment: Enrollment, on: datetime.date, actor: User) -> Enrollment:
    return _transition(enrollment=enrollment, action="start_assessment", on=on, actor=actor)


def start_support(*, enrollment: Enrollment, on: datetime.date, actor: User) -> Enrollment:
    return _transition(enrollment=enrollment, action="start_support", on=on, actor=actor)


def refuse_enrollment(
    *, enrollment: Enrollment, on: datetime.date, reason: str, actor: User
) -> Enrollment:
    if not reason.strip():
        raise ValidationError({"note": _("Indiquez le motif du refus.")})
    return _transition(enrollment=enrollment, action="refuse", on=on, actor=actor, note=reason)


def abandon_enrollment(
    *, enrollment: Enrollment, on: datetime.date, actor: User, note: str = ""
) -> Enrollment:
    return _transition(enrollment=enrollment, action="abandon", on=on, actor=actor, note=note)


def close_enrollment(
    *,
    enrollment: Enrollment,
    outcome: str,
    on: datetime.date,
    actor: User,
    ready_for_housing: bool = False,
    note: str = "",
) -> Enrollment:
    """The exit: ends the enrollment and records the person's situation on that day."""
    if outcome not in ExitOutcome.values:
        raise ValidationError({"outcome": _("Indiquez la situation à la sortie.")})
    with transaction.atomic():
        closed = _transition(enrollment=enrollment, action="close", on=on, actor=actor, note=note)
        with acting_as(actor):
            exit_ = Exit.objects.create(
                enrollment=closed,
                outcome=outcome,
                exited_on=on,
                ready_for_housing=ready_for_housing,
                note=note.strip(),
            )
            for kind, months in FOLLOW_UP_MONTHS.items():
                FollowUp.objects.create(exit=exit_, kind=kind, due_on=add_months(on, months))
    return closed


def record_follow_up(
    *,
    follow_up: FollowUp,
    reached: bool,
    actor: User,
    housing: str = "",
    activity: str = "",
    note: str = "",
    on: datetime.date | None = None,
) -> FollowUp:
    """What became of the person 6 or 12 months after the exit (or that they could not be reached)."""
    enrollment = follow_up.exit.enrollment
    require(actor, "support.record", enrollment.organization_id)
    on = on or timezone.localdate()
    errors = {}
    if on > timezone.localdate():
        errors["done_on"] = _("La date ne peut pas être dans le futur.")
    elif on < follow_up.opens_on:
        errors["done_on"] = _("Ce suivi se fait à partir du %(date)s.") % {
            "date": f"{follow_up.opens_on:%d/%m/%Y}"
        }
    if reached:
        if housing not in FollowUpHousing.values:
            errors["housing"] = _("Indiquez où la personne est logée aujourd'hui.")
        if activity not in FollowUpActivity.values:
            errors["activity"] = _("Indiquez si la personne est en emploi ou en formation.")
    if errors:
        raise ValidationError(errors)
    follow_up.reached = bool(reached)
    follow_up.housing = housing if reached else ""
    follow_up.activity = activity if reached else ""
    follow_up.note = note.strip()
    follow_up.done_on = on
    follow_up.recorded_by = actor
    follow_up.full_clean()
    with acting_as(actor), transaction.atomic():
        follow_up.save()
    return follow_up

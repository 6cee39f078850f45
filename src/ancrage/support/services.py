"""Writes on support records. Keyword-only, the acting user last, one transaction, audited."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import can, require
from ancrage.core.actor import acting_as
from ancrage.core.assign import UNSET, Maybe, assign
from ancrage.core.dates import add_months
from ancrage.core.enums import TerritoryKind
from ancrage.core.models import Territory
from ancrage.people.queries import (
    find_possible_duplicates,
    monthly_resources_of,
    sharing_objection,
)
from ancrage.people.services import create_person
from ancrage.programs.queries import supporting_programs
from ancrage.support.enums import (
    ASSESSMENT_DOMAINS,
    CLOSED_STATUSES,
    DONE_STEP_STATUSES,
    FOLLOW_UP_MONTHS,
    SHAREABLE_FIELDS,
    AppointmentStatus,
    Channel,
    EnrollmentStatus,
    ExitOutcome,
    FollowUpActivity,
    FollowUpHousing,
    HealthNeed,
    ReferralStatus,
    StepStatus,
    Subject,
)
from ancrage.support.models import (
    Appointment,
    Assessment,
    CalendarFeed,
    Contact,
    Desk,
    Enrollment,
    EnrollmentEvent,
    Exit,
    FollowUp,
    Note,
    Referral,
    Step,
)

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User
    from ancrage.people.models import Person
    from ancrage.programs.models import Program


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
) -> Contact:
    """Log one contact. Anonymous contacts keep only an age band, a commune and a situation."""
    require(actor, "support.record", organization)
    contact = Contact(organization=organization, recorded_by=actor, subjects=list(subjects))
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


def create_desk(
    *,
    organization: Organization,
    name: str,
    commune: Territory | None = None,
    schedule: str = "",
    actor: User,
) -> Desk:
    require(actor, "support.desks", organization)
    desk = Desk(
        organization=organization, name=name.strip(), commune=commune, schedule=schedule.strip()
    )
    desk.full_clean()
    with acting_as(actor), transaction.atomic():
        desk.save()
    return desk


# --- Enrollment lifecycle (docs/lifecycles.md) -------------------------------------------------

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
) -> Enrollment:
    """A request for support: the first step of an enrollment, in the person's organization.

    ``program``: a program the organization runs or takes part in, running on ``requested_on``.
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


# --- Steps -------------------------------------------------------------------------------------


def add_step(
    *,
    enrollment: Enrollment,
    kind: str,
    actor: User,
    due_on: datetime.date | None = None,
    amount: Decimal | None = None,
    reference: str = "",
    note: str = "",
) -> Step:
    """A step within an open enrollment. An SNE number is unique within the organization."""
    require(actor, "support.record", enrollment.organization_id)
    if not enrollment.is_open:
        raise ValidationError(
            _("L'accompagnement est terminé : on ne peut plus y ajouter de démarche.")
        )
    step = Step(
        organization_id=enrollment.organization_id,
        enrollment=enrollment,
        kind=kind,
        due_on=due_on,
        amount=amount,
        reference=reference.strip(),
        note=note.strip(),
        created_by=actor,
    )
    step.full_clean()
    with acting_as(actor), transaction.atomic():
        step.save()
    return step


def set_step_status(
    *, step: Step, status: str, actor: User, on: datetime.date | None = None
) -> Step:
    """À faire → en cours → obtenu / refusé (and back, to correct a mistake)."""
    require(actor, "support.record", step.organization_id)
    if status not in StepStatus.values:
        raise ValidationError({"status": _("État inconnu.")})
    step.status = status
    step.done_on = (on or timezone.localdate()) if status in DONE_STEP_STATUSES else None
    if step.done_on and step.done_on > timezone.localdate():
        raise ValidationError({"done_on": _("La date ne peut pas être dans le futur.")})
    step.full_clean()
    with acting_as(actor), transaction.atomic():
        step.save()
    return step


def add_note(*, enrollment: Enrollment, body: str, visibility: str, actor: User) -> Note:
    require(actor, "support.record", enrollment.organization_id)
    note = Note(enrollment=enrollment, author=actor, body=body.strip(), visibility=visibility)
    if not note.body:
        raise ValidationError({"body": _("La note est vide.")})
    note.full_clean()
    with acting_as(actor), transaction.atomic():
        note.save()
    return note


def record_assessment(
    *,
    enrollment: Enrollment,
    assessed_on: datetime.date,
    priorities: dict[str, int],
    actor: User,
    health_needs: Iterable[str] = (),
    housing_cost: Decimal | int = 0,
    fixed_charges: Decimal | int = 0,
    joint_with: Organization | None = None,
) -> Assessment:
    """A dated needs grid. Resources are copied from the person's file so the figure stays as it was."""
    require(actor, "support.record", enrollment.organization_id)
    if not enrollment.is_open:
        raise ValidationError(
            _("L'accompagnement est terminé : on ne peut plus y ajouter de diagnostic.")
        )
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("La date ne peut pas être dans le futur.")})
    if assessed_on < enrollment.requested_on:
        raise ValidationError({"assessed_on": _("Le diagnostic ne peut pas précéder la demande.")})
    unknown = [code for code in health_needs if code not in HealthNeed.values]
    if unknown:
        raise ValidationError({"health_needs": _("Besoin de santé inconnu.")})
    if joint_with is not None and joint_with.pk == enrollment.organization_id:
        raise ValidationError(
            {"joint_with": _("Un diagnostic conjoint se fait avec une autre structure.")}
        )
    assessment = Assessment(
        organization_id=enrollment.organization_id,
        enrollment=enrollment,
        assessed_on=assessed_on,
        assessor=actor,
        joint_with=joint_with,
        health_needs=list(health_needs),
        monthly_resources=monthly_resources_of(enrollment.person),
        housing_cost=housing_cost or 0,
        fixed_charges=fixed_charges or 0,
    )
    for domain, _label in ASSESSMENT_DOMAINS:
        setattr(assessment, f"{domain}_priority", priorities.get(domain, "none"))
    assessment.full_clean()
    with acting_as(actor), transaction.atomic():
        assessment.save()
    return assessment


# --- Referrals ---------------------------------------------------------------------------------

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
) -> Referral:
    """Orient a person to another organization with the minimum data the person agreed to share."""
    require(actor, "support.record", person.organization_id)
    errors = {}
    objection = sharing_objection(person, receiver)
    if receiver.pk == person.organization_id:
        errors["receiver"] = _("Choisissez une autre structure que la vôtre.")
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
    elif consent_on > timezone.localdate():
        errors["consent_on"] = _("La date du consentement ne peut pas être dans le futur.")
    if errors:
        raise ValidationError(errors)
    referral = Referral(
        sender_id=person.organization_id,
        receiver=receiver,
        person=person,
        purpose=purpose.strip(),
        shared_data=_snapshot(person, fields),
        consent_on=consent_on,
        sent_by=actor,
    )
    referral.full_clean()
    with acting_as(actor), transaction.atomic():
        referral.save()
    return referral


def accept_referral(*, referral: Referral, actor: User, joint_assessment: bool = False) -> Referral:
    """The receiver accepts: the person gets a file and a request for support in the receiver's organization.

    With ``joint_assessment`` the receiver plans to assess the person together with the sender.
    """
    require(actor, "support.record", referral.receiver_id)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status != ReferralStatus.SENT:
            raise ValidationError(_("Cette orientation a déjà reçu une réponse."))
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
            programs = list(supporting_programs(locked.receiver, on=timezone.localdate())[:2])
            enrollment = open_enrollment(
                person=person,
                referent=actor,
                requested_on=timezone.localdate(),
                program=programs[0] if len(programs) == 1 else None,
                actor=actor,
            )
        with acting_as(actor):
            locked.status = ReferralStatus.ACCEPTED
            locked.decided_on = timezone.localdate()
            locked.decided_by = actor
            locked.receiver_enrollment = enrollment
            locked.joint_assessment = joint_assessment
            locked.save()
    return locked


def refuse_referral(*, referral: Referral, reason: str, actor: User) -> Referral:
    require(actor, "support.record", referral.receiver_id)
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Indiquez le motif du refus : la structure qui oriente en sera informée.")}
        )
    with acting_as(actor), transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status != ReferralStatus.SENT:
            raise ValidationError(_("Cette orientation a déjà reçu une réponse."))
        locked.status = ReferralStatus.REFUSED
        locked.refusal_reason = reason.strip()
        locked.decided_on = timezone.localdate()
        locked.decided_by = actor
        locked.save()
    return locked


# --- Appointments and the calendar feed --------------------------------------------------------


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
) -> Appointment:
    """An appointment in a counsellor's calendar, with a person of the same organization."""
    organization_id = person.organization_id
    require(actor, "support.record", organization_id)
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

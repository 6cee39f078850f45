"""Writes on support records. Keyword-only, the acting user last, one transaction, audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.enums import WRITE_ROLES
from ancrage.accounts.queries import role_in
from ancrage.core.actor import acting_as
from ancrage.people.queries import monthly_resources_of
from ancrage.support.enums import (
    ASSESSMENT_DOMAINS,
    CLOSED_STATUSES,
    DONE_STEP_STATUSES,
    Channel,
    EnrollmentStatus,
    ExitOutcome,
    HealthNeed,
    StepStatus,
    Subject,
)
from ancrage.support.models import (
    Assessment,
    Contact,
    Desk,
    Enrollment,
    EnrollmentEvent,
    Exit,
    Note,
    Step,
)

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


def open_enrollment(*, person, referent, requested_on, actor) -> Enrollment:
    """A request for support: the first step of an enrollment, in the person's organization."""
    organization = person.organization
    _check_can_write(actor, organization)
    if role_in(referent, organization) not in WRITE_ROLES:
        raise ValidationError(
            {"referent": _("Le ou la référent·e doit faire partie de l'équipe de la structure.")}
        )
    if requested_on > timezone.localdate():
        raise ValidationError(
            {"requested_on": _("La date de demande ne peut pas être dans le futur.")}
        )
    enrollment = Enrollment(
        organization=organization, person=person, referent=referent, requested_on=requested_on
    )
    enrollment.full_clean()
    with acting_as(actor), transaction.atomic():
        enrollment.save()
        EnrollmentEvent.objects.create(
            enrollment=enrollment, to_status=enrollment.status, on=requested_on, actor=actor
        )
    return enrollment


def _transition(*, enrollment, action: str, on, actor, note: str = "") -> Enrollment:
    _check_can_write(actor, enrollment.organization_id)
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


def start_assessment(*, enrollment, on, actor) -> Enrollment:
    return _transition(enrollment=enrollment, action="start_assessment", on=on, actor=actor)


def start_support(*, enrollment, on, actor) -> Enrollment:
    return _transition(enrollment=enrollment, action="start_support", on=on, actor=actor)


def refuse_enrollment(*, enrollment, on, reason: str, actor) -> Enrollment:
    if not reason.strip():
        raise ValidationError({"note": _("Indiquez le motif du refus.")})
    return _transition(enrollment=enrollment, action="refuse", on=on, actor=actor, note=reason)


def abandon_enrollment(*, enrollment, on, actor, note: str = "") -> Enrollment:
    return _transition(enrollment=enrollment, action="abandon", on=on, actor=actor, note=note)


def close_enrollment(
    *, enrollment, outcome: str, on, actor, ready_for_housing: bool = False, note: str = ""
) -> Enrollment:
    """The exit: ends the enrollment and records the person's situation on that day."""
    if outcome not in ExitOutcome.values:
        raise ValidationError({"outcome": _("Indiquez la situation à la sortie.")})
    with transaction.atomic():
        closed = _transition(enrollment=enrollment, action="close", on=on, actor=actor, note=note)
        with acting_as(actor):
            Exit.objects.create(
                enrollment=closed,
                outcome=outcome,
                exited_on=on,
                ready_for_housing=ready_for_housing,
                note=note.strip(),
            )
    return closed


# --- Steps -------------------------------------------------------------------------------------


def add_step(
    *, enrollment, kind: str, actor, due_on=None, amount=None, reference: str = "", note: str = ""
) -> Step:
    """A step within an open enrollment. An SNE number is unique within the organization."""
    _check_can_write(actor, enrollment.organization_id)
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


def set_step_status(*, step: Step, status: str, actor, on=None) -> Step:
    """À faire → en cours → obtenu / refusé (and back, to correct a mistake)."""
    _check_can_write(actor, step.organization_id)
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


def add_note(*, enrollment, body: str, visibility: str, actor) -> Note:
    _check_can_write(actor, enrollment.organization_id)
    note = Note(enrollment=enrollment, author=actor, body=body.strip(), visibility=visibility)
    if not note.body:
        raise ValidationError({"body": _("La note est vide.")})
    note.full_clean()
    with acting_as(actor), transaction.atomic():
        note.save()
    return note


def record_assessment(
    *,
    enrollment,
    assessed_on,
    priorities: dict,
    actor,
    health_needs=(),
    housing_cost=0,
    fixed_charges=0,
    joint_with=None,
) -> Assessment:
    """A dated needs grid. Resources are copied from the person's file so the figure stays as it was."""
    _check_can_write(actor, enrollment.organization_id)
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

"""Steps, notes and assessments of an enrollment."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.core.actor import acting_as
from ancrage.people.queries import (
    monthly_resources_of,
)
from ancrage.support.enums import (
    ADAPTATION_PATHWAYS,
    ASSESSMENT_DOMAINS,
    DONE_STEP_STATUSES,
    AssessmentKind,
    HealthNeed,
    StepStatus,
    WorkKind,
)
from ancrage.support.models import (
    Assessment,
    Enrollment,
    Note,
    Step,
)

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User


def add_step(
    *,
    enrollment: Enrollment,
    kind: str,
    actor: User,
    due_on: datetime.date | None = None,
    amount: Decimal | None = None,
    reference: str = "",
    note: str = "",
    external_ref: str = "",
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
        external_ref=external_ref.strip(),
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


def set_steps_status(
    *, steps: list[Step], status: str, actor: User, on: datetime.date | None = None
) -> list[Step]:
    """Several steps at once (the caseload's « Mettre à jour la sélection »): each through
    ``set_step_status``, all or none — a refusal names the step and writes nothing."""
    if not steps:
        raise ValidationError({"steps": _("Cochez au moins une démarche.")})
    with transaction.atomic():
        for step in steps:
            try:
                set_step_status(step=step, status=status, actor=actor, on=on)
            except ValidationError as error:
                raise ValidationError(
                    _("%(kind)s de %(person)s : %(reason)s")
                    % {
                        "kind": step.get_kind_display(),
                        "person": step.enrollment.person,
                        "reason": " ".join(error.messages),
                    }
                ) from error
    return steps


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
    priorities: dict[str, str],
    actor: User,
    health_needs: Iterable[str] = (),
    housing_cost: Decimal | int = 0,
    fixed_charges: Decimal | int = 0,
    joint_with: Organization | None = None,
    external_ref: str = "",
    kind: str = AssessmentKind.NEEDS,
    home_works: Iterable[str] = (),
) -> Assessment:
    """A dated needs grid. Resources are copied from the person's file so the figure stays as it was.

    ``kind``: a needs assessment, or the autonomy assessment of an adaptation or staying-home
    pathway, which also codes the works the home needs (``home_works``)."""
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
    if kind not in AssessmentKind.values:
        raise ValidationError({"kind": _("Type de diagnostic inconnu.")})
    home_works = list(dict.fromkeys(home_works))
    if any(code not in WorkKind.values for code in home_works):
        raise ValidationError({"home_works": _("Aménagement inconnu.")})
    if kind != AssessmentKind.AUTONOMY and home_works:
        raise ValidationError(
            {"home_works": _("Les aménagements se préconisent dans une évaluation de l'autonomie.")}
        )
    if kind == AssessmentKind.AUTONOMY and enrollment.pathway not in ADAPTATION_PATHWAYS:
        raise ValidationError(
            {
                "kind": _(
                    "L'évaluation de l'autonomie se fait dans un parcours d'adaptation du "
                    "logement ou de maintien à domicile."
                )
            }
        )
    if joint_with is not None and joint_with.pk == enrollment.organization_id:
        raise ValidationError(
            {"joint_with": _("Un diagnostic conjoint se fait avec une autre structure.")}
        )
    assessment = Assessment(
        organization_id=enrollment.organization_id,
        enrollment=enrollment,
        kind=kind,
        home_works=home_works,
        assessed_on=assessed_on,
        assessor=actor,
        joint_with=joint_with,
        health_needs=list(health_needs),
        monthly_resources=monthly_resources_of(enrollment.person),
        housing_cost=housing_cost or 0,
        fixed_charges=fixed_charges or 0,
        external_ref=external_ref.strip(),
    )
    for domain, _label in ASSESSMENT_DOMAINS:
        setattr(assessment, f"{domain}_priority", priorities.get(domain, "none"))
    assessment.full_clean()
    with acting_as(actor), transaction.atomic():
        assessment.save()
    return assessment

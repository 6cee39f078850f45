"""Typed pathways (1000 LIANES): the pathway of an enrollment, the works of a home adaptation and
the day the home counts as adapted, the milestones of an insertion pathway."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.core.actor import acting_as
from ancrage.support.enums import (
    ADAPTATION_PATHWAYS,
    JobContract,
    MilestoneKind,
    Pathway,
    WorkKind,
)
from ancrage.support.models import AdaptationWork, Enrollment, InsertionMilestone

if TYPE_CHECKING:
    from ancrage.accounts.models import User


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("La date ne peut pas être dans le futur.")})


def _not_before_request(enrollment: Enrollment, day: datetime.date, field: str) -> None:
    if day < enrollment.requested_on:
        raise ValidationError(
            {
                field: _("La date ne peut pas précéder la demande d'accompagnement (%(on)s).")
                % {"on": f"{enrollment.requested_on:%d/%m/%Y}"}
            }
        )


def set_pathway(*, enrollment: Enrollment, pathway: str, actor: User) -> Enrollment:
    """Type (or retype) the pathway of an enrollment. What the pathway already recorded stays
    consistent: works and an adapted home keep it an adaptation or staying-home pathway,
    milestones keep it an insertion pathway."""
    require(actor, "support.record", enrollment.organization_id)
    if pathway not in ("", *Pathway.values):
        raise ValidationError({"pathway": _("Parcours inconnu.")})
    if pathway not in ADAPTATION_PATHWAYS and (
        enrollment.home_adapted_on or enrollment.works.exists()
    ):
        raise ValidationError(
            {
                "pathway": _(
                    "Des travaux d'adaptation sont enregistrés : le parcours reste une adaptation "
                    "du logement ou un maintien à domicile."
                )
            }
        )
    if pathway != Pathway.INSERTION and enrollment.milestones.exists():
        raise ValidationError(
            {
                "pathway": _(
                    "Des étapes d'insertion sont enregistrées : le parcours reste un parcours "
                    "d'insertion professionnelle."
                )
            }
        )
    enrollment.pathway = pathway
    enrollment.full_clean()
    with acting_as(actor), transaction.atomic():
        enrollment.save(update_fields=["pathway", "updated_at"])
    return enrollment


def _adaptation(enrollment: Enrollment) -> None:
    if enrollment.pathway not in ADAPTATION_PATHWAYS:
        raise ValidationError(
            _(
                "Les travaux d'adaptation se saisissent dans un parcours d'adaptation du logement "
                "ou de maintien à domicile."
            )
        )


def plan_work(
    *,
    enrollment: Enrollment,
    kind: str,
    planned_on: datetime.date,
    cost: Decimal,
    actor: User,
    note: str = "",
    external_ref: str = "",
) -> AdaptationWork:
    """Works planned in the person's home, with the estimate's cost."""
    require(actor, "support.record", enrollment.organization_id)
    _adaptation(enrollment)
    if not enrollment.is_open:
        raise ValidationError(
            _("L'accompagnement est terminé : on ne peut plus y prévoir de travaux.")
        )
    if kind not in WorkKind.values:
        raise ValidationError({"kind": _("Type de travaux inconnu.")})
    _not_before_request(enrollment, planned_on, "planned_on")
    work = AdaptationWork(
        organization_id=enrollment.organization_id,
        enrollment=enrollment,
        kind=kind,
        planned_on=planned_on,
        cost=cost,
        note=note.strip(),
        created_by=actor,
        external_ref=external_ref.strip(),
    )
    work.full_clean()
    with acting_as(actor), transaction.atomic():
        work.save()
    return work


def record_work_done(
    *,
    work: AdaptationWork,
    done_on: datetime.date | None,
    actor: User,
    cost: Decimal | None = None,
    home_adapted: bool = False,
) -> AdaptationWork:
    """The works done on a date (at their real cost), or not done after all (``done_on=None``,
    to correct a mistake). ``home_adapted``: with these works the home is adapted on that day.
    Works may end after the enrollment: they are recorded all the same."""
    require(actor, "support.record", work.organization_id)
    enrollment = work.enrollment
    if done_on is not None:
        _not_future(done_on, "done_on")
        _not_before_request(enrollment, done_on, "done_on")
    elif (
        enrollment.home_adapted_on
        and not enrollment.works.exclude(pk=work.pk)
        .filter(done_on__lte=enrollment.home_adapted_on)
        .exists()
    ):
        raise ValidationError(
            {
                "done_on": _(
                    "Le logement est enregistré comme adapté grâce à ces travaux : retirez "
                    "d'abord la date d'adaptation du logement."
                )
            }
        )
    if home_adapted and done_on is None:
        raise ValidationError(
            {"done_on": _("Donnez la date des travaux pour enregistrer le logement adapté.")}
        )
    work.done_on = done_on
    if cost is not None:
        work.cost = cost
    work.full_clean()
    with acting_as(actor), transaction.atomic():
        work.save()
        if home_adapted and done_on is not None:
            record_home_adapted(enrollment=enrollment, on=done_on, actor=actor)
    return work


def record_home_adapted(
    *, enrollment: Enrollment, on: datetime.date | None, actor: User
) -> Enrollment:
    """The person's home counts as adapted from ``on`` (the « logements adaptés » indicator):
    only once works are done on or before that day. ``None`` withdraws it (a mistake)."""
    require(actor, "support.record", enrollment.organization_id)
    _adaptation(enrollment)
    if on is not None:
        _not_future(on, "home_adapted_on")
        if not enrollment.works.filter(done_on__isnull=False, done_on__lte=on).exists():
            raise ValidationError(
                {
                    "home_adapted_on": _(
                        "Aucuns travaux n'étaient réalisés à cette date : un logement est adapté "
                        "quand les travaux sont faits, pas quand ils sont prévus."
                    )
                }
            )
    enrollment.home_adapted_on = on
    enrollment.full_clean()
    with acting_as(actor), transaction.atomic():
        enrollment.save(update_fields=["home_adapted_on", "updated_at"])
    return enrollment


def add_milestone(
    *,
    enrollment: Enrollment,
    kind: str,
    on: datetime.date,
    actor: User,
    detail: str = "",
    contract: str = "",
    external_ref: str = "",
) -> InsertionMilestone:
    """A dated step of an insertion pathway (orientation, training entered, job taken)."""
    require(actor, "support.record", enrollment.organization_id)
    if enrollment.pathway != Pathway.INSERTION:
        raise ValidationError(
            _("Les étapes d'insertion se saisissent dans un parcours d'insertion professionnelle.")
        )
    if kind not in MilestoneKind.values:
        raise ValidationError({"kind": _("Étape inconnue.")})
    if contract and contract not in JobContract.values:
        raise ValidationError({"contract": _("Contrat inconnu.")})
    if contract and kind != MilestoneKind.JOB:
        raise ValidationError(
            {"contract": _("Un contrat ne se précise que pour une reprise d'emploi.")}
        )
    _not_future(on, "on")
    _not_before_request(enrollment, on, "on")
    milestone = InsertionMilestone(
        organization_id=enrollment.organization_id,
        enrollment=enrollment,
        kind=kind,
        on=on,
        detail=detail.strip(),
        contract=contract,
        created_by=actor,
        external_ref=external_ref.strip(),
    )
    milestone.full_clean()
    with acting_as(actor), transaction.atomic():
        milestone.save()
    return milestone


def delete_milestone(*, milestone: InsertionMilestone, actor: User) -> None:
    """Remove a milestone entered by mistake."""
    require(actor, "support.record", milestone.organization_id)
    with acting_as(actor), transaction.atomic():
        milestone.delete()

"""Housing applications, the waiting list's rules, housing or closing an application."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.accounts.queries import members_allowed
from ancrage.audit import recorder as audit
from ancrage.core.actor import acting_as
from ancrage.housing.enums import (
    ApplicationStatus,
    Granularity,
)
from ancrage.housing.models import (
    Bed,
    Booking,
    HousingApplication,
    Residence,
    Rhythm,
    WaitingListRule,
)
from ancrage.housing.waiting_list import BY_CODE
from ancrage.notifications.enums import NotificationKind
from ancrage.notifications.services import notify

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.people.models import Person


def submit_application(
    *,
    residence: Residence,
    person: Person,
    wished_from: datetime.date,
    actor: User,
    wished_until: datetime.date | None = None,
    granularity: str = Granularity.MONTHS,
    rhythm: Rhythm | None = None,
    note: str = "",
    shares_unit: bool = True,
    needs_accessible: bool = False,
    external_ref: str = "",
) -> HousingApplication:
    """A request for a place, made by the team of the residence's manager for a person it follows.
    ``shares_unit`` and ``needs_accessible`` are what the allocation engine respects."""
    require(actor, "housing.manage", residence.organization_id)
    errors = {}
    if person.organization_id != residence.organization_id:
        errors["person"] = _(
            "Cette personne n'est pas suivie par le gestionnaire : passez par une orientation."
        )
    if rhythm is not None and rhythm.person_id != person.pk:
        errors["rhythm"] = _("Ce rythme est celui d'une autre personne.")
    if HousingApplication.objects.filter(
        residence=residence, person=person, status=ApplicationStatus.PENDING
    ).exists():
        errors["person"] = _("Cette personne a déjà une demande en attente pour cette résidence.")
    if errors:
        raise ValidationError(errors)
    application = HousingApplication(
        external_ref=external_ref.strip(),
        organization_id=residence.organization_id,
        residence=residence,
        person=person,
        submitted_on=timezone.localdate(),
        wished_from=wished_from,
        wished_until=wished_until,
        granularity=granularity,
        rhythm=rhythm,
        note=note.strip(),
        shares_unit=shares_unit,
        needs_accessible=needs_accessible,
        submitted_by=actor,
    )
    application.full_clean()
    with acting_as(actor), transaction.atomic():
        application.save()
        _tell_the_team(application, actor)
    return application


def _tell_the_team(application: HousingApplication, actor: User) -> None:
    """The residence's other managers learn of a new application once it commits."""

    def tell() -> None:
        notify(
            recipients=members_allowed(application.organization_id, "housing.manage").exclude(
                pk=actor.pk
            ),
            organization=application.residence.organization,
            kind=NotificationKind.APPLICATION_RECEIVED,
            message=_("Nouvelle demande de logement de %(first_name)s pour %(residence)s.")
            % {
                "first_name": application.person.first_name,
                "residence": application.residence.name,
            },
            link=reverse("housing:waiting_list", args=[application.residence_id]),
            key=f"application:{application.pk}",
        )

    transaction.on_commit(tell)


def set_waiting_list_rules(
    *, residence: Residence, rules: dict[str, tuple[int, bool]], actor: User
) -> None:
    """{code: (weight, mandatory)} for the criteria of ``waiting_list.CRITERIA``; admins only."""
    require(actor, "housing.waiting_list_rules", residence)
    unknown = [code for code in rules if code not in BY_CODE]
    if unknown:
        raise ValidationError(
            {"rules": _("Critère inconnu : %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    for code, (weight, _mandatory) in rules.items():
        if not 0 <= weight <= 100:
            raise ValidationError(
                {"rules": _("%(label)s : de 0 à 100 points.") % {"label": BY_CODE[code].label}}
            )
    with acting_as(actor), transaction.atomic():
        WaitingListRule.objects.filter(residence=residence).delete()
        audit.bulk_create(
            "housing.waiting_list_rules",
            WaitingListRule,
            (
                WaitingListRule(residence=residence, code=code, weight=weight, mandatory=mandatory)
                for code, (weight, mandatory) in rules.items()
                if weight or mandatory
            ),
            on=residence,
        )


def house_application(
    *, application: HousingApplication, booking: Booking, actor: User
) -> HousingApplication:
    """The applicant got a place with an existing booking: the application closes with it. (A new
    booking answering an application houses it itself: ``book_*(application=…)``.)"""
    require(actor, "housing.manage", application.organization_id)
    _check_houses(application, booking.person, booking.bed)
    with acting_as(actor), transaction.atomic():
        _house(application, booking)
    return application


def _check_houses(application: HousingApplication, person: Person, bed: Bed) -> None:
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("Cette demande n'est plus en attente."))
    if person.pk != application.person_id or bed.unit.residence_id != application.residence_id:
        raise ValidationError(
            _("Cette réservation ne loge pas cette personne dans cette résidence.")
        )


def _house(application: HousingApplication, booking: Booking) -> None:
    """Inside the caller's transaction: the application, still pending, is housed by ``booking``."""
    locked = HousingApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.PENDING:
        raise ValidationError(_("Cette demande n'est plus en attente."))
    application.status = ApplicationStatus.HOUSED
    application.booking = booking
    application.closed_on = timezone.localdate()
    application.save()


def close_application(
    *, application: HousingApplication, status: str, actor: User, note: str = ""
) -> HousingApplication:
    """Refused by the manager or withdrawn by the person (``note`` says why, if given)."""
    require(actor, "housing.manage", application.organization_id)
    if status not in (ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN):
        raise ValidationError({"status": _("Choisissez : refusée ou retirée.")})
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("Cette demande n'est plus en attente."))
    with acting_as(actor), transaction.atomic():
        application.status = status
        application.closed_on = timezone.localdate()
        if note:
            application.note = note[:300]
        application.save()
    return application

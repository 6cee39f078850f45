"""Writes on the RGPD lifecycle. Keyword-only, the acting user last, one transaction, audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.core.actor import acting_as
from ancrage.core.signals import object_viewed
from ancrage.core.validation import check_day
from ancrage.people.models import Person
from ancrage.privacy import export, retention
from ancrage.privacy.enums import RequestKind, RequestStatus
from ancrage.privacy.models import RetentionPolicy, RightsRequest

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User

ACCESS_KINDS = (RequestKind.ACCESS, RequestKind.PORTABILITY)


def record_request(
    *,
    organization: Organization,
    kind: str,
    received_on: datetime.date,
    actor: User,
    person: Person | None = None,
    extended: bool = False,
) -> RightsRequest:
    """Log a request received (by letter, e-mail, at the desk): its answer is due within a month."""
    require(actor, "privacy.manage", organization)
    if person is not None and person.organization_id != organization.pk:
        raise ValidationError({"person": _("Cette personne n'est pas suivie par la structure.")})
    check_day(received_on, field="received_on", label=_("Reçue le"), future_years=None)
    request = RightsRequest(
        organization=organization,
        person=person,
        kind=kind,
        received_on=received_on,
        extended=extended,
        received_by=actor,
    )
    request.full_clean()
    with acting_as(actor), transaction.atomic():
        request.save()
    return request


def answer_request(
    *,
    request: RightsRequest,
    actor: User,
    refused: bool = False,
    reason: str = "",
    on: datetime.date | None = None,
) -> RightsRequest:
    """Close a request: answered, or refused with its reason (said to the person)."""
    require(actor, "privacy.manage", request.organization_id)
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("Cette demande est déjà traitée."))
    reason = (reason or "").strip()
    if refused and not reason:
        raise ValidationError({"reason": _("Indiquez le motif du refus.")})
    request.status = RequestStatus.REFUSED if refused else RequestStatus.ANSWERED
    request.answered_on = on or timezone.localdate()
    request.answered_by = actor
    request.reason = reason or request.reason
    request.full_clean()
    with acting_as(actor), transaction.atomic():
        request.save()
    return request


def extend_request(*, request: RightsRequest, actor: User) -> RightsRequest:
    """Two more months for a complex request (the person must be told within the first month)."""
    require(actor, "privacy.manage", request.organization_id)
    if request.status != RequestStatus.OPEN or request.extended:
        raise ValidationError(_("Ce délai ne peut plus être prolongé."))
    request.extended = True
    with acting_as(actor), transaction.atomic():
        request.save()
    return request


def _open_request(person: Person, kinds: Iterable[str]) -> RightsRequest | None:
    return (
        RightsRequest.objects.filter(person=person, kind__in=kinds, status=RequestStatus.OPEN)
        .order_by("received_on", "pk")
        .first()
    )


def export_person_data(*, person: Person, actor: User) -> tuple[str, bytes]:
    """The ZIP (PDF and JSON) of everything stored about ``person``; answers their open access
    or portability request, or logs one received and answered today."""
    require(actor, "privacy.manage", person.organization_id)
    name, content = export.export_archive(person)
    _answer_access(person, actor)
    return name, content


def export_person_json(*, person: Person, actor: User) -> bytes:
    """The JSON of the same export (the API's answer), with the same request logged."""
    require(actor, "privacy.manage", person.organization_id)
    content = export.as_json(person, export.person_data(person))
    _answer_access(person, actor)
    return content


def _answer_access(person: Person, actor: User) -> None:
    today = timezone.localdate()
    with acting_as(actor), transaction.atomic():
        request = _open_request(person, ACCESS_KINDS) or record_request(
            organization=person.organization,
            kind=RequestKind.ACCESS,
            received_on=today,
            person=person,
            actor=actor,
        )
        answer_request(request=request, actor=actor, on=today)
        object_viewed.send(
            sender=Person, instance=person, actor=actor, organization=person.organization
        )


def erase_person(*, person: Person, reason: str, actor: User) -> Person:
    """Anonymise the file now (right to erasure), with the reason; answers the open erasure request
    or logs one. The figures already computed stay as they are."""
    require(actor, "privacy.manage", person.organization_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif de l'effacement.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("Le motif tient en 300 caractères au plus.")})
    if person.anonymised_on is not None:
        raise ValidationError(_("Cette fiche est déjà anonymisée."))
    today = timezone.localdate()
    with acting_as(actor), transaction.atomic():
        request = _open_request(person, (RequestKind.ERASURE,)) or record_request(
            organization=person.organization,
            kind=RequestKind.ERASURE,
            received_on=today,
            person=person,
            actor=actor,
        )
        retention.anonymise(person, today=today, actor=actor)
        answer_request(request=request, actor=actor, reason=reason, on=today)
    return person


def set_retention_policy(
    *,
    organization: Organization,
    archive_after_months: int,
    anonymise_after_months: int,
    actor: User,
) -> RetentionPolicy:
    require(actor, "privacy.manage", organization)
    policy = RetentionPolicy.objects.filter(organization=organization).first() or RetentionPolicy(
        organization=organization
    )
    policy.archive_after_months = archive_after_months
    policy.anonymise_after_months = anonymise_after_months
    policy.full_clean()
    with acting_as(actor), transaction.atomic():
        policy.save()
    return policy

"""Writes of the programs app: an organization joining a program (a call's winner)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import can
from ancrage.core.actor import acting_as
from ancrage.core.phone import to_e164
from ancrage.core.validation import is_email
from ancrage.programs.enums import ParticipantRole
from ancrage.programs.models import Program, ProgramContact, ProgramParticipant

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User

EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 1, 1)


def add_participant(
    *, program: Program, organization: Organization, role: str
) -> ProgramParticipant:
    """The organization takes part in the program with ``role`` (kept if it already takes part).
    The caller checks who may decide it (the program's funder selecting an application)."""
    with transaction.atomic():
        participant, created = ProgramParticipant.objects.get_or_create(
            program=program, organization=organization, defaults={"role": role}
        )
        if created:
            participant.full_clean()
    return participant


# --- The program's network: contact people and their history -----------------------------------


def may_edit_contacts(user: User, participant: ProgramParticipant) -> bool:
    """The program's operators keep every contact; each organization, its own."""
    if can(user, "programs.network", participant.organization_id):
        return True
    operators = ProgramParticipant.objects.filter(
        program_id=participant.program_id, role=ParticipantRole.OPERATOR
    ).values_list("organization_id", flat=True)
    return any(can(user, "programs.network", org) for org in operators)


def require_edit_contacts(user: User, participant: ProgramParticipant) -> None:
    if not may_edit_contacts(user, participant):
        raise PermissionDenied(
            _("Seuls le porteur du dispositif et la structure elle-même tiennent ses contacts.")
        )


def add_contact(
    *,
    participant: ProgramParticipant,
    name: str,
    actor: User,
    function: str = "",
    email: str = "",
    phone: str = "",
    since: datetime.date | None = None,
) -> ProgramContact:
    require_edit_contacts(actor, participant)
    errors: dict[str, str] = {}
    name, function, email = (name or "").strip(), (function or "").strip(), (email or "").strip()
    if not name:
        errors["name"] = _("Indiquez le nom.")
    elif len(name) > 150:
        errors["name"] = _("150 caractères au plus.")
    if len(function) > 150:
        errors["function"] = _("150 caractères au plus.")
    if email and not is_email(email):
        errors["email"] = _("Indiquez une adresse e-mail valide.")
    try:
        phone = to_e164(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages[0]
    since = since or timezone.localdate()
    if not EARLIEST <= since < LATEST:
        errors["since"] = _("Indiquez une date entre 2000 et 2099.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor), transaction.atomic():
        return ProgramContact.objects.create(
            participant=participant,
            name=name,
            function=function,
            email=email.lower(),
            phone=phone,
            since=since,
        )


def end_contact(
    *, contact: ProgramContact, until: datetime.date | None, actor: User
) -> ProgramContact:
    """The contact hands over on ``until`` (they stay in the history); ``None`` reopens."""
    require_edit_contacts(actor, contact.participant)
    if until is not None and not (EARLIEST <= until < LATEST):
        raise ValidationError({"until": _("Indiquez une date entre 2000 et 2099.")})
    if until is not None and until < contact.since:
        raise ValidationError(
            {"until": _("Le contact a commencé le %(day)s.") % {"day": f"{contact.since:%d/%m/%Y}"}}
        )
    with acting_as(actor), transaction.atomic():
        contact.until = until
        contact.save(update_fields=["until"])
    return contact

"""Agreements between partners: the parties and their roles, the purpose, the dates, each party's
commitment (and amount, if any); the PDF drawn from a versioned template; the signed copy
attached; the parties told before the end, in time to renew."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.core import documents
from ancrage.core.actor import acting_as
from ancrage.partnerships.models import AgreementParty, PartnerAgreement
from ancrage.programs.enums import ParticipantRole

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User
    from ancrage.programs.models import Program

EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 1, 1)
LONGEST = datetime.timedelta(days=6 * 366)
MAX_CENTS = 10**11  # a billion euros


@dataclass(frozen=True)
class Party:
    organization: Organization
    role: str
    commitment: str = ""
    amount_cents: int | None = None


def create_agreement(
    *,
    organization: Organization,
    title: str,
    purpose: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    parties: list[Party],
    actor: User,
    program: Program | None = None,
    renewal_notice_days: int = 90,
) -> PartnerAgreement:
    """``parties``: the others (``organization`` is a party too: give its role among them, or it is
    added as « Porteur »). Errors are keyed by field, ``party_<n>`` for the n-th party (from 1)."""
    require(actor, "partnerships.agreements", organization)
    errors: dict[str, str] = {}
    title, purpose = (title or "").strip(), (purpose or "").strip()
    if not title:
        errors["title"] = _("Indiquez l'intitulé de la convention.")
    elif len(title) > 200:
        errors["title"] = _("200 caractères au plus.")
    if not purpose:
        errors["purpose"] = _("Indiquez l'objet de la convention.")
    elif len(purpose) > 5000:
        errors["purpose"] = _("5000 caractères au plus.")
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if day is None:
            errors[name] = _("Indiquez la date.")
        elif not EARLIEST <= day < LATEST:
            errors[name] = _("Indiquez une date entre 2000 et 2099.")
    if "starts_on" not in errors and "ends_on" not in errors:
        if ends_on <= starts_on:
            errors["ends_on"] = _("La convention finit après son début.")
        elif ends_on - starts_on > LONGEST:
            errors["ends_on"] = _("Six ans au plus : au-delà, une nouvelle convention.")
    if not 0 <= (renewal_notice_days or 0) <= 365:
        errors["renewal_notice_days"] = _("Entre 0 et 365 jours.")
    if program is not None:
        from ancrage.programs.queries import programs_of

        if not programs_of(organization).filter(pk=program.pk).exists():
            errors["program"] = _("Votre structure ne participe pas à ce dispositif.")
    rows = list(parties)
    if not any(p.organization.pk == organization.pk for p in rows):
        rows.insert(0, Party(organization, ParticipantRole.OPERATOR))
    seen: set[int] = set()
    for n, party in enumerate(rows, start=1):
        key = f"party_{n}"
        if party.organization.pk in seen:
            errors[key] = _("%(name)s est déjà partie à la convention.") % {
                "name": party.organization.name
            }
        seen.add(party.organization.pk)
        if party.role not in ParticipantRole.values:
            errors[key] = _("Rôle inconnu pour %(name)s.") % {"name": party.organization.name}
        elif len(party.commitment or "") > 1000:
            errors[key] = _("L'engagement de %(name)s : 1000 caractères au plus.") % {
                "name": party.organization.name
            }
        elif party.amount_cents is not None and not 0 <= party.amount_cents < MAX_CENTS:
            errors[key] = _("Le montant de %(name)s est positif et réaliste.") % {
                "name": party.organization.name
            }
    if len(rows) < 2:
        errors["parties"] = _("Une convention lie au moins deux structures.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor), transaction.atomic():
        agreement = PartnerAgreement.objects.create(
            organization=organization,
            program=program,
            title=title,
            purpose=purpose,
            starts_on=starts_on,
            ends_on=ends_on,
            renewal_notice_days=renewal_notice_days,
            created_by=actor,
        )
        for party in rows:
            AgreementParty.objects.create(
                agreement=agreement,
                organization=party.organization,
                role=party.role,
                commitment=(party.commitment or "").strip(),
                amount_cents=party.amount_cents,
            )
    return agreement


def attach_signed(
    *, agreement: PartnerAgreement, upload: IO[bytes], signed_on: datetime.date, actor: User
) -> PartnerAgreement:
    """The signed copy (a PDF), replacing any previous one."""
    require(actor, "partnerships.agreements", agreement)
    errors: dict[str, str] = {}
    try:
        content_type, _size, digest = documents.check(upload)
        if content_type != "application/pdf":
            raise ValueError(_("Déposez la convention signée en PDF."))
    except ValueError as exc:
        errors["file"] = str(exc)
    if signed_on is None or not EARLIEST <= signed_on <= timezone.localdate():
        errors["signed_on"] = _("Indiquez une date passée, après 2000.")
    if errors:
        raise ValidationError(errors)
    with (
        documents.stored(
            agreement.organization_id,
            upload,
            "application/pdf",
            replaces=agreement.signed_document,
        ) as name,
        acting_as(actor),
        transaction.atomic(),
    ):
        agreement.signed_document = name
        agreement.signed_sha256 = digest
        agreement.signed_on = signed_on
        agreement.save(
            update_fields=["signed_document", "signed_sha256", "signed_on", "updated_at"]
        )
    return agreement


def notify_agreements_ending(today: datetime.date | None = None) -> int:
    """Each party's coordination and administration are told once, ``renewal_notice_days``
    before the end."""
    from ancrage.accounts.queries import members_allowed
    from ancrage.notifications.enums import NotificationKind
    from ancrage.notifications.services import notify

    today = today or timezone.localdate()
    told = 0
    ending = PartnerAgreement.objects.filter(ends_on__gte=today).prefetch_related(
        "parties__organization"
    )
    for agreement in ending:
        if agreement.ends_on - datetime.timedelta(days=agreement.renewal_notice_days) > today:
            continue
        for party in agreement.parties.all():
            told += len(
                notify(
                    recipients=members_allowed(party.organization, "partnerships.agreements"),
                    organization=party.organization,
                    kind=NotificationKind.AGREEMENT_ENDING,
                    message=_("La convention « %(title)s » prend fin le %(day)s : à renouveler.")
                    % {"title": agreement.title, "day": f"{agreement.ends_on:%d/%m/%Y}"},
                    link=reverse("agreements:agreement_detail", args=[agreement.pk]),
                    key=f"partner-agreement:{agreement.pk}:ending",
                )
            )
    return told

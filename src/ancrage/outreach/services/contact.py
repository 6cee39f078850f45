"""Reaching the targets: campaigns, attempts (letter, call, visit) and their outcome, the
person's consent, and the opening of a file with a typed pathway."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import can, require
from ancrage.audit import recorder
from ancrage.core.actor import acting_as
from ancrage.outreach.enums import ATTEMPT_OUTCOMES, AttemptChannel, ProspectStatus
from ancrage.outreach.models import Attempt, Campaign, OutreachList, Prospect, Segment
from ancrage.people import services as people
from ancrage.people.queries import find_look_alikes_born_in
from ancrage.support import services as support
from ancrage.support.enums import Pathway

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User

# Statuses after which no one is contacted again (unless the person comes back by themself).
CLOSED = (ProspectStatus.DO_NOT_CONTACT, ProspectStatus.CONVERTED)


def acting_organization(prospect: Prospect, actor: User) -> Organization:
    """The organization ``actor`` reaches ``prospect`` for: the assignee when it is theirs,
    else the list's operator (``PermissionDenied`` when neither lets them)."""
    if prospect.assignee_id and can(actor, "outreach.contact", prospect.assignee_id):
        return prospect.assignee  # type: ignore[return-value]
    if can(actor, "outreach.contact", prospect.outreach_list.organization_id):
        return prospect.outreach_list.organization
    require(actor, "outreach.contact", prospect.assignee_id)
    raise PermissionDenied  # pragma: no cover (require raised)


def create_campaign(
    *,
    outreach_list: OutreachList,
    name: str,
    starts_on: datetime.date,
    actor: User,
    segment: Segment | None = None,
    letter: str = "",
) -> Campaign:
    require(actor, "outreach.manage", outreach_list.organization_id)
    if segment is not None and segment.outreach_list_id != outreach_list.pk:
        raise ValidationError({"segment": _("Ce segment n'est pas de cette liste.")})
    campaign = Campaign(
        outreach_list=outreach_list,
        name=(name or "").strip(),
        segment=segment,
        starts_on=starts_on,
        letter=letter.strip(),
    )
    campaign.full_clean()
    with acting_as(actor), transaction.atomic():
        campaign.save()
    return campaign


def _check_day(on: datetime.date, field: str = "occurred_on") -> None:
    if on > timezone.localdate():
        raise ValidationError({field: _("La date ne peut pas être dans le futur.")})
    if on.year < 2000:
        raise ValidationError({field: _("Date trop ancienne.")})


def record_attempt(
    *,
    prospect: Prospect,
    channel: str,
    outcome: str,
    occurred_on: datetime.date,
    actor: User,
    campaign: Campaign | None = None,
) -> Attempt:
    """One try at reaching ``prospect``; its outcome becomes the prospect's status."""
    organization = acting_organization(prospect, actor)
    if channel not in AttemptChannel.values:
        raise ValidationError({"channel": _("Moyen de contact inconnu.")})
    if outcome not in ATTEMPT_OUTCOMES:
        raise ValidationError({"outcome": _("Résultat inconnu.")})
    _check_day(occurred_on)
    if campaign is not None and campaign.outreach_list_id != prospect.outreach_list_id:
        raise ValidationError({"campaign": _("Cette campagne n'est pas de cette liste.")})
    with acting_as(actor), transaction.atomic():
        locked = Prospect.objects.select_for_update().get(pk=prospect.pk)
        if locked.status == ProspectStatus.CONVERTED:
            raise ValidationError(_("Cette personne est déjà accompagnée."))
        attempt = Attempt.objects.create(
            prospect=locked,
            campaign=campaign,
            organization=organization,
            channel=channel,
            occurred_on=occurred_on,
            outcome=outcome,
            recorded_by=actor,
        )
        locked.status = outcome
        locked.active_on = max(locked.active_on, occurred_on)
        locked.save(update_fields=["status", "active_on"])
    prospect.status, prospect.active_on = locked.status, locked.active_on
    return attempt


def letter_recipients(campaign: Campaign) -> QuerySet[Prospect]:
    """Who a campaign's letters go to: its segment's targets still to contact."""
    targets = Prospect.objects.filter(
        outreach_list=campaign.outreach_list, status=ProspectStatus.TO_CONTACT
    )
    if campaign.segment_id:
        targets = targets.filter(segment_id=campaign.segment_id)
    return targets.select_related("commune").order_by("-score", "pk")


def record_letters(*, campaign: Campaign, sent_on: datetime.date, actor: User) -> int:
    """The campaign's letters were posted: one letter attempt per recipient, who is now
    « contacté·e »."""
    require(actor, "outreach.manage", campaign.outreach_list.organization_id)
    _check_day(sent_on, "sent_on")
    with acting_as(actor), transaction.atomic(), recorder.listed("outreach.letters"):
        recipients = list(letter_recipients(campaign).values_list("pk", flat=True))
        Attempt.objects.bulk_create(
            Attempt(
                prospect_id=pk,
                campaign=campaign,
                organization_id=campaign.outreach_list.organization_id,
                channel=AttemptChannel.LETTER,
                occurred_on=sent_on,
                outcome=ProspectStatus.CONTACTED,
                recorded_by=actor,
            )
            for pk in recipients
        )
        Prospect.objects.filter(pk__in=recipients).update(
            status=ProspectStatus.CONTACTED, active_on=sent_on
        )
        recorder.record_bulk("outreach.letters", Attempt, len(recipients), on=campaign)
    return len(recipients)


def record_consent(*, prospect: Prospect, on: datetime.date, actor: User) -> Prospect:
    """The person agreed to be followed: a file may now be opened for them."""
    acting_organization(prospect, actor)
    _check_day(on, "on")
    if prospect.status in CLOSED:
        raise ValidationError(
            _("Impossible : état « %(status)s ».") % {"status": prospect.get_status_display()}
        )
    with acting_as(actor), transaction.atomic():
        prospect.consent_on = on
        prospect.status = ProspectStatus.INTERESTED
        prospect.active_on = max(prospect.active_on, on)
        prospect.save(update_fields=["consent_on", "status", "active_on"])
    return prospect


def convert_prospect(
    *,
    prospect: Prospect,
    pathway: str,
    actor: User,
    on: datetime.date | None = None,
    birth_date: datetime.date | None = None,
    confirmed_not_duplicate: bool = False,
) -> Prospect:
    """Open a file for a target who agreed: a person and an enrollment of the list's program
    with its pathway, in the organization that reached them. Look-alikes stop it
    (``people.PossibleDuplicate``) unless confirmed: people named alike born the file's year,
    and, when the person gave their ``birth_date``, the person form's own check."""
    organization = acting_organization(prospect, actor)
    if pathway not in Pathway.values:
        raise ValidationError({"pathway": _("Choisissez le parcours.")})
    if prospect.consent_on is None:
        raise ValidationError(_("Recueillez d'abord l'accord de la personne."))
    if prospect.status in CLOSED:
        raise ValidationError(
            _("Impossible : état « %(status)s ».") % {"status": prospect.get_status_display()}
        )
    on = on or timezone.localdate()
    _check_day(on, "on")
    if birth_date is not None and prospect.birth_year and birth_date.year != prospect.birth_year:
        raise ValidationError(
            {
                "birth_date": _("Le fichier du bailleur donne l'année %(year)s.")
                % {"year": prospect.birth_year}
            }
        )
    if not confirmed_not_duplicate:
        candidates = find_look_alikes_born_in(
            organization=organization,
            last_name=prospect.last_name,
            first_name=prospect.first_name,
            year=birth_date.year if birth_date else prospect.birth_year,
        )
        if candidates:
            raise people.PossibleDuplicate(candidates)
    with acting_as(actor), transaction.atomic():
        person = people.create_person(
            organization=organization,
            actor=actor,
            last_name=prospect.last_name,
            first_name=prospect.first_name,
            birth_date=birth_date,
            phone=prospect.phone,
            commune=prospect.commune,
            informed_on=prospect.consent_on,
            confirmed_not_duplicate=confirmed_not_duplicate,
        )
        support.open_enrollment(
            person=person,
            referent=actor,
            requested_on=on,
            actor=actor,
            program=prospect.outreach_list.program,
            pathway=pathway,
        )
        prospect.person = person
        prospect.status = ProspectStatus.CONVERTED
        prospect.active_on = max(prospect.active_on, on)
        prospect.save(update_fields=["person", "status", "active_on"])
    return prospect

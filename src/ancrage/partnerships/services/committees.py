"""A program's committees: members (with an account or not) and their history, meetings with an
agenda, attendance and minutes, decisions with an owner and a due date followed to done. The
annual evaluation meeting names the year it evaluates (its page opens that year's report)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import can, require
from ancrage.core.actor import acting_as
from ancrage.core.validation import is_email
from ancrage.partnerships.models import (
    Committee,
    CommitteeKind,
    CommitteeMember,
    Decision,
    Meeting,
    MeetingKind,
)

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User
    from ancrage.programs.models import Program

EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 1, 1)


def _date(
    errors: dict[str, str], name: str, day: datetime.date | None, *, required: bool = True
) -> None:
    if day is None:
        if required:
            errors[name] = _("Indiquez la date.")
    elif not EARLIEST <= day < LATEST:
        errors[name] = _("Indiquez une date entre 2000 et 2099.")


def _text(
    errors: dict[str, str], name: str, value: str, limit: int, *, required: bool = True
) -> str:
    value = (value or "").strip()
    if not value and required:
        errors[name] = _("Ce champ est obligatoire.")
    elif len(value) > limit:
        errors[name] = _("%(limit)d caractères au plus.") % {"limit": limit}
    return value


def create_committee(
    *, organization: Organization, program: Program, name: str, kind: str, actor: User
) -> Committee:
    require(actor, "partnerships.committees", organization)
    from ancrage.programs.queries import programs_of

    errors: dict[str, str] = {}
    name = _text(errors, "name", name, 150)
    if kind not in CommitteeKind.values:
        errors["kind"] = _("Type de comité inconnu.")
    if program is None or not programs_of(organization).filter(pk=program.pk).exists():
        errors["program"] = _("Votre structure ne participe pas à ce dispositif.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor), transaction.atomic():
        return Committee.objects.create(
            organization=organization, program=program, name=name, kind=kind
        )


def add_member(
    *,
    committee: Committee,
    actor: User,
    user: User | None = None,
    name: str = "",
    represents: str = "",
    email: str = "",
    joined_on: datetime.date | None = None,
) -> CommitteeMember:
    """A seat for a user of Ancrage, or for someone without an account (a name at least)."""
    require(actor, "partnerships.committees", committee)
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, 150, required=user is None)
    represents = _text(errors, "represents", represents, 200, required=False)
    email = (email or "").strip().lower()
    if email and not is_email(email):
        errors["email"] = _("Indiquez une adresse e-mail valide.")
    joined_on = joined_on or timezone.localdate()
    _date(errors, "joined_on", joined_on)
    if user is not None and (
        not user.is_active
        or CommitteeMember.objects.filter(
            committee=committee, user=user, left_on__isnull=True
        ).exists()
    ):
        errors["user"] = _("Cette personne siège déjà au comité.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor), transaction.atomic():
        try:
            with transaction.atomic():
                return CommitteeMember.objects.create(
                    committee=committee,
                    user=user,
                    name="" if user else name,
                    represents=represents,
                    email="" if user else email,
                    joined_on=joined_on,
                )
        except IntegrityError:
            raise ValidationError(
                {"user": _("Cette personne a déjà siégé au comité : rouvrez son siège.")}
            ) from None


def end_membership(
    *, member: CommitteeMember, left_on: datetime.date | None, actor: User
) -> CommitteeMember:
    """The member leaves (their decisions and attendance stay); ``left_on=None`` reopens."""
    require(actor, "partnerships.committees", member.committee)
    errors: dict[str, str] = {}
    _date(errors, "left_on", left_on, required=False)
    if left_on is not None and not errors and left_on < member.joined_on:
        errors["left_on"] = _("La date de départ suit l'arrivée (%(day)s).") % {
            "day": f"{member.joined_on:%d/%m/%Y}"
        }
    if errors:
        raise ValidationError(errors)
    with acting_as(actor), transaction.atomic():
        member.left_on = left_on
        member.save(update_fields=["left_on"])
    return member


def create_meeting(
    *,
    committee: Committee,
    held_on: datetime.date,
    actor: User,
    kind: str = MeetingKind.REGULAR,
    evaluated_year: int | None = None,
    agenda: str = "",
) -> Meeting:
    require(actor, "partnerships.committees", committee)
    errors: dict[str, str] = {}
    _date(errors, "held_on", held_on)
    agenda = _text(errors, "agenda", agenda, 5000, required=False)
    if kind not in MeetingKind.values:
        errors["kind"] = _("Type de réunion inconnu.")
    elif kind == MeetingKind.ANNUAL_EVALUATION:
        if evaluated_year is None:
            errors["evaluated_year"] = _("Indiquez l'année évaluée.")
        elif "held_on" not in errors and not 2000 <= evaluated_year <= held_on.year:
            errors["evaluated_year"] = _(
                "L'année évaluée est passée ou en cours (2000 à %(year)d)."
            ) % {"year": held_on.year}
    else:
        evaluated_year = None
    if errors:
        raise ValidationError(errors)
    with acting_as(actor), transaction.atomic():
        return Meeting.objects.create(
            committee=committee,
            kind=kind,
            held_on=held_on,
            evaluated_year=evaluated_year,
            agenda=agenda,
        )


def record_minutes(
    *,
    meeting: Meeting,
    minutes: str,
    present: list[CommitteeMember],
    actor: User,
    agenda: str | None = None,
) -> Meeting:
    """The minutes and who attended (members of this committee only)."""
    require(actor, "partnerships.committees", meeting.committee)
    errors: dict[str, str] = {}
    minutes = _text(errors, "minutes", minutes, 50000, required=False)
    if agenda is not None:
        agenda = _text(errors, "agenda", agenda, 5000, required=False)
    if any(member.committee_id != meeting.committee_id for member in present):
        errors["present"] = _("Seuls les membres du comité peuvent être présents.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor), transaction.atomic():
        meeting.minutes = minutes
        if agenda is not None:
            meeting.agenda = agenda
        meeting.save(update_fields=["minutes", "agenda", "updated_at"])
        meeting.present.set(present)
    return meeting


def add_decision(
    *, meeting: Meeting, text: str, owner: CommitteeMember, due_on: datetime.date, actor: User
) -> Decision:
    require(actor, "partnerships.committees", meeting.committee)
    errors: dict[str, str] = {}
    text = _text(errors, "text", text, 500)
    if owner is None or owner.committee_id != meeting.committee_id:
        errors["owner"] = _("Le porteur est un membre du comité.")
    _date(errors, "due_on", due_on)
    if "due_on" not in errors and due_on < meeting.held_on:
        errors["due_on"] = _("L'échéance suit la réunion (%(day)s).") % {
            "day": f"{meeting.held_on:%d/%m/%Y}"
        }
    if errors:
        raise ValidationError(errors)
    with acting_as(actor), transaction.atomic():
        return Decision.objects.create(meeting=meeting, text=text, owner=owner, due_on=due_on)


def may_close(user: User, decision: Decision) -> bool:
    """The committee's organizers, or the decision's owner."""
    return decision.owner.user_id == user.pk or can(
        user, "partnerships.committees", decision.meeting.committee
    )


def require_may_close(user: User, decision: Decision) -> None:
    if not may_close(user, decision):
        raise PermissionDenied(
            _("Seuls le porteur de la décision et l'animation du comité la suivent.")
        )


def set_decision_done(
    *, decision: Decision, done_on: datetime.date | None, actor: User
) -> Decision:
    """Mark a decision done on a day (``None``: not done after all)."""
    if not may_close(actor, decision):
        raise PermissionDenied(
            _("Seuls le porteur de la décision et l'animation du comité la suivent.")
        )
    errors: dict[str, str] = {}
    _date(errors, "done_on", done_on, required=False)
    if done_on is not None and not errors:
        if done_on > timezone.localdate():
            errors["done_on"] = _("La date ne peut pas être dans le futur.")
        elif done_on < decision.meeting.held_on:
            errors["done_on"] = _("La décision a été prise le %(day)s.") % {
                "day": f"{decision.meeting.held_on:%d/%m/%Y}"
            }
    if errors:
        raise ValidationError(errors)
    with acting_as(actor), transaction.atomic():
        decision.done_on = done_on
        decision.save(update_fields=["done_on", "updated_at"])
    return decision

"""Writes of the programs app: an organization joining a program (a call's winner)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from ancrage.programs.models import Program, ProgramParticipant

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization


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

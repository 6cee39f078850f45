"""Reads on programs for other apps."""

from __future__ import annotations

from ancrage.programs.enums import SUPPORTING_ROLES
from ancrage.programs.models import Program, ProgramParticipant


def supporting_programs(organization, *, on=None):
    """Programs in which ``organization`` follows people (operator or partner), running on ``on``."""
    programs = Program.objects.filter(
        participants__organization=organization, participants__role__in=SUPPORTING_ROLES
    )
    if on is not None:
        programs = programs.filter(starts_on__lte=on).exclude(ends_on__lt=on)
    return programs.distinct().order_by("name")


def participations_of(organization):
    return (
        ProgramParticipant.objects.filter(organization=organization)
        .select_related("program", "program__territory")
        .order_by("program__name")
    )


def program_names_of(organization_ids) -> dict[int, list[str]]:
    """The programs each organization takes part in, by name (one query)."""
    names: dict[int, list[str]] = {}
    for organization_id, name in (
        ProgramParticipant.objects.filter(organization_id__in=list(organization_ids))
        .order_by("program__name")
        .values_list("organization_id", "program__name")
    ):
        names.setdefault(organization_id, []).append(name)
    return names


def participant_role(program, organization) -> str | None:
    """The organization's role in the program (operator, partner, funder), or None."""
    return (
        ProgramParticipant.objects.filter(program=program, organization=organization)
        .values_list("role", flat=True)
        .first()
    )


def programs_of(organization):
    """The programs ``organization`` takes part in, whatever its role."""
    return (
        Program.objects.filter(participants__organization=organization).distinct().order_by("name")
    )

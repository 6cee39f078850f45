"""The funder's panel of the home page: the programs the current organization funds, their key
figures for the year against the objectives, and the annual reports of last year to read."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from ancrage.accounts.permissions import can
from ancrage.indicators.access import Selection
from ancrage.indicators.enums import Scope
from ancrage.indicators.models import AnnualReport
from ancrage.indicators.queries import figures, key_indicators
from ancrage.programs.enums import ParticipantRole
from ancrage.programs.models import ProgramParticipant

KEY_FIGURES = 4


def build(request: HttpRequest) -> dict[str, Any] | None:
    membership = getattr(request, "membership", None)
    if membership is None:
        return None
    organization = membership.organization
    # The organization's own team has its own panels; this one is for those who follow programs
    # from outside (a funder's staff).
    if not can(request.user, "programs.follow", organization) or can(
        request.user, "team.read", organization
    ):
        return None
    year = timezone.localdate().year
    programs = [
        p.program
        for p in ProgramParticipant.objects.filter(organization=organization)
        .select_related("program")
        .order_by("program__name")
    ]
    participants = list(
        ProgramParticipant.objects.filter(program__in=programs)
        .exclude(role=ParticipantRole.FUNDER)
        .select_related("organization")
        .order_by("organization__name")
    )
    states = dict(
        AnnualReport.objects.filter(
            organization__in=[p.organization_id for p in participants], year=year - 1
        ).values_list("organization_id", "status")
    )
    rows = []
    for program in programs:
        selection = Selection(Scope.PROGRAM, program=program)
        codes = key_indicators(selection)[:KEY_FIGURES]
        reports = [
            {"organization": p.organization, "status": states.get(p.organization_id, "")}
            for p in participants
            if p.program_id == program.pk
        ]
        rows.append(
            {
                "program": program,
                "figures": [f for f in figures(selection, year, codes=codes)],
                "reports": reports,
            }
        )
    return {"programs": rows, "year": year, "last_year": year - 1}

"""The partner's panel of the home page (a school, an employer, a service provider whose members
hold the partner role): the programs their organization takes part in, who runs each, and what
will reach them there."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ancrage.accounts.permissions import can
from ancrage.programs.enums import ParticipantRole
from ancrage.programs.models import ProgramParticipant


def build(request: HttpRequest) -> dict[str, Any] | None:
    membership = getattr(request, "membership", None)
    if membership is None:
        return None
    organization = membership.organization
    if can(request.user, "team.read", organization) or can(
        request.user, "programs.follow", organization
    ):
        return None
    own = list(
        ProgramParticipant.objects.filter(organization=organization)
        .select_related("program")
        .order_by("program__name")
    )
    operators = {
        p.program_id: p.organization
        for p in ProgramParticipant.objects.filter(
            program__in=[o.program_id for o in own], role=ParticipantRole.OPERATOR
        ).select_related("organization__commune")
    }
    return {
        "organization": organization,
        "participations": [
            {
                "program": p.program,
                "role": p.get_role_display(),
                "operator": operators.get(p.program_id),
            }
            for p in own
        ],
    }

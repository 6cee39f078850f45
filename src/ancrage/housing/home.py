"""The housing panel of the home page: a residence manager's week — arrivals and departures,
beds free tonight, applications waiting, arrears."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ancrage.accounts.enums import Module, OrganizationKind
from ancrage.accounts.permissions import current_organization_for
from ancrage.housing.queries import lettable_beds, week_overview

SHOWN = 8
# Kinds whose business is housing: their home says how to start when no unit is recorded.
HOUSING_KINDS = (OrganizationKind.RESIDENCE_MANAGER, OrganizationKind.SOCIAL_LANDLORD)


def build(request: HttpRequest) -> dict[str, Any] | None:
    organization = current_organization_for(request, action="housing.manage", module=Module.HOUSING)
    if organization is None:
        return None
    if organization.kind not in HOUSING_KINDS and not lettable_beds(organization).exists():
        # A desk that could house people but does not (yet): no empty panel on its counsellors' day.
        return None
    week = week_overview(organization)
    return {
        "week": week,
        "arrivals": week.arrivals[:SHOWN],
        "departures": week.departures[:SHOWN],
        "has_beds": week.beds > 0,
    }

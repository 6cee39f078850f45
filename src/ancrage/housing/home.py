"""The housing panel of the home page: a residence manager's week — arrivals and departures,
beds free tonight, applications waiting, arrears."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ancrage.accounts.enums import Module, OrganizationKind
from ancrage.accounts.permissions import can
from ancrage.housing.queries import lettable_beds, week_overview

SHOWN = 8
# Kinds whose business is housing: their home says how to start when no unit is recorded.
HOUSING_KINDS = (OrganizationKind.RESIDENCE_MANAGER, OrganizationKind.SOCIAL_LANDLORD)


def build(request: HttpRequest) -> dict[str, Any] | None:
    membership = getattr(request, "membership", None)
    if membership is None or Module.HOUSING not in membership.organization.modules_used:
        return None
    organization = membership.organization
    if not can(request.user, "housing.manage", organization):
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

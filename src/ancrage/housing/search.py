"""Residences and units found by the header's search (name, unit reference)."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from ancrage.accounts.enums import Module
from ancrage.accounts.permissions import current_organization_for
from ancrage.core.search import LIMIT, Group, Result
from ancrage.housing.models import Residence, Unit


def search(request: HttpRequest, query: str) -> Group | None:
    organization = current_organization_for(request, action="team.read", module=Module.HOUSING)
    if organization is None:
        return None
    residences = list(
        Residence.objects.visible_to(request.user)
        .filter(organization=organization)
        .filter(Q(name__icontains=query) | Q(address__icontains=query))
        .select_related("commune")
        .order_by("name", "id")[:LIMIT]
    )
    units = list(
        Unit.objects.filter(residence__organization=organization, reference__icontains=query)
        .select_related("residence")
        .order_by("residence__name", "reference", "id")[:LIMIT]
    )
    results = [
        Result(
            label=r.name,
            detail=r.commune.name if r.commune else "",
            url=reverse("housing:residence_detail", args=[r.pk]),
        )
        for r in residences
    ] + [
        Result(
            label=f"{u.reference} — {u.residence.name}",
            detail=u.get_typology_display(),
            url=reverse("housing:residence_detail", args=[u.residence_id]),
        )
        for u in units
    ]
    return Group(title=_("Résidences et logements"), results=results)

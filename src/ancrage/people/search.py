"""People found by the header's search: name (accents and order aside), phone or SNE number."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from ancrage.accounts.enums import Module
from ancrage.accounts.permissions import current_organization_for
from ancrage.core.search import LIMIT, Group, Result
from ancrage.core.signals import list_read
from ancrage.people.models import Person


def search(request: HttpRequest, query: str) -> Group | None:
    organization = current_organization_for(request, action="team.read", module=Module.SUPPORT)
    if organization is None:
        return None
    found = list(
        Person.objects.visible_to(request.user)
        .filter(organization=organization)
        .search(query)
        .select_related("commune")
        .order_by("last_name", "first_name", "id")[: LIMIT + 1]
    )
    shown = found[:LIMIT]
    list_read(model=Person, records=shown, actor=request.user)
    return Group(
        title=_("Personnes"),
        results=[
            Result(
                label=f"{p.last_name.upper()} {p.first_name}",
                detail=", ".join(
                    part
                    for part in (
                        f"{p.age} ans" if p.age is not None else "",
                        p.commune.name if p.commune else "",
                    )
                    if part
                ),
                url=reverse("people:person_detail", args=[p.pk]),
            )
            for p in shown
        ],
        more_url=(
            f"{reverse('people:person_list')}?{urlencode({'q': query})}"
            if len(found) > LIMIT
            else None
        ),
    )

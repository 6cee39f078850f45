"""Partners found by the header's search: the organizations a referral may go to."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from ancrage.accounts.enums import Module
from ancrage.accounts.permissions import current_organization_for
from ancrage.core.search import LIMIT, Group, Result
from ancrage.support.queries import departement_of, matches, referral_receivers


def search(request: HttpRequest, query: str) -> Group | None:
    organization = current_organization_for(request, action="team.read", module=Module.SUPPORT)
    if organization is None:
        return None
    found = [o for o in referral_receivers(organization) if matches(o, query)]
    directory = f"{reverse('support:partner_directory')}?{urlencode({'q': query})}"
    return Group(
        title=_("Partenaires"),
        results=[
            Result(
                label=o.name,
                detail=", ".join(
                    part
                    for part in (
                        o.get_kind_display(),
                        f"{o.commune.name} ({departement_of(o)})" if o.commune else "",
                    )
                    if part
                ),
                url=f"{reverse('support:partner_directory')}?{urlencode({'q': o.name})}",
            )
            for o in found[:LIMIT]
        ],
        more_url=directory if len(found) > LIMIT else None,
    )

"""Services written the way users write them: through ``catalogue.services``."""

from __future__ import annotations

from typing import Any

from ancrage.catalogue.services import create_service


def make_service(organization, actor, **fields: Any):
    values: dict[str, Any] = {
        "name": "Pass mobilité apprentis",
        "description": "Un abonnement de bus et de train par mois pour les apprentis logés.",
        "themes": ["mobilite--financer-ma-mobilite"],
        "publics": ["jeunes"],
        "eligibility_zone": ["62041"],
    }
    values.update(fields)
    return create_service(organization=organization, actor=actor, **values)

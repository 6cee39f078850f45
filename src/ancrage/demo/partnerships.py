"""The demo's apprenticeship contracts: four Loire apprentices, their CFA, their employer (the
landlord's maintenance team takes apprentices) and their rhythm, written through
``partnerships.services`` as the residence manager would."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ancrage.accounts.models import Organization, User
from ancrage.demo.data import DOMAIN

DIPLOMAS = (
    "CAP Maintenance de bâtiments de collectivités",
    "BTS Management commercial opérationnel",
    "Bac pro Technicien du froid et du conditionnement d'air",
    "CAP Cuisine",
)


def load_apprenticeships(organizations: dict[str, Organization]) -> None:
    from ancrage.housing.models import Rhythm
    from ancrage.partnerships.models import Apprenticeship
    from ancrage.partnerships.services import create_apprenticeship

    manager_org = organizations["loire_manager"]
    if Apprenticeship.objects.filter(organization=manager_org).exists():
        return
    manager = User.objects.get(email=f"admin@{DOMAIN}")
    today = timezone.localdate()
    year = today.year if today.month >= 8 else today.year - 1
    rhythms = Rhythm.objects.filter(person__organization=manager_org).select_related("person")
    for rhythm, diploma in zip(
        rhythms.order_by("person__last_name", "pk")[:4], DIPLOMAS, strict=False
    ):
        create_apprenticeship(
            person=rhythm.person,
            school=organizations["loire_school"],
            employer=organizations["loire_landlord"],
            diploma=diploma,
            starts_on=datetime.date(year, 9, 1),
            ends_on=datetime.date(year + 2, 8, 31),
            rhythm=rhythm,
            actor=manager,
        )

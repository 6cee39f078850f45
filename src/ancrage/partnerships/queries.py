"""Reads of partnerships, for its pages, its API and other apps."""

from __future__ import annotations

from django.db.models import QuerySet

from ancrage.accounts.permissions import get_for_user
from ancrage.partnerships.models import Apprenticeship


def apprenticeships_visible_to(user) -> QuerySet[Apprenticeship]:
    return Apprenticeship.objects.visible_to(user).select_related(
        "person", "school", "employer", "rhythm"
    )


def get_apprenticeship_for_user(user, apprenticeship_id, *, write: bool = False) -> Apprenticeship:
    """An apprenticeship of the user's teams (404 otherwise); to change it, their role must
    allow recording the person's file (403)."""
    return get_for_user(
        apprenticeships_visible_to(user),
        apprenticeship_id,
        user,
        action="people.change" if write else None,
    )


def apprenticeships_of(organization, *, person_id: int | None = None) -> QuerySet[Apprenticeship]:
    rows = Apprenticeship.objects.filter(organization=organization).select_related(
        "person", "school", "employer"
    )
    return rows if person_id is None else rows.filter(person_id=person_id)

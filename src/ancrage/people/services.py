"""Writes on people. Keyword-only, the acting user last, one transaction, audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.accounts.enums import WRITE_ROLES
from ancrage.accounts.queries import role_in
from ancrage.core.actor import acting_as
from ancrage.people.models import HouseholdMember, Person, Resource
from ancrage.people.queries import find_possible_duplicates

PERSON_FIELDS = (
    "last_name",
    "first_name",
    "birth_date",
    "phone",
    "email",
    "commune",
    "situation",
    "housing_situation",
    "disability_recognised",
    "informed_on",
)


class PossibleDuplicate(Exception):
    """The person seems to exist already; the caller shows the candidates and asks to confirm."""

    def __init__(self, candidates: list[Person]):
        super().__init__("possible duplicate")
        self.candidates = candidates


def _check_can_write(actor, organization) -> None:
    if role_in(actor, organization) not in WRITE_ROLES:
        raise PermissionDenied(
            _("Votre rôle ne permet pas de modifier les personnes de cette structure.")
        )


def _apply(person: Person, data: dict) -> None:
    for key in PERSON_FIELDS:
        if key in data:
            setattr(person, key, data[key])
    person.last_name = person.last_name.strip()
    person.first_name = person.first_name.strip()


def _replace_children(person: Person, resources, household) -> None:
    if resources is not None:
        for resource in person.resources.all():
            resource.delete()
        for item in resources:
            resource = Resource(person=person, **item)
            resource.full_clean()
            resource.save()
    if household is not None:
        for member in person.household.all():
            member.delete()
        for item in household:
            member = HouseholdMember(person=person, **item)
            member.full_clean()
            member.save()


def create_person(
    *,
    organization,
    data: dict,
    actor,
    resources: Iterable[dict] | None = None,
    household: Iterable[dict] | None = None,
    confirmed_not_duplicate: bool = False,
) -> Person:
    """Create a person; raises ``PossibleDuplicate`` unless the actor confirmed it is someone else."""
    _check_can_write(actor, organization)
    person = Person(organization=organization, created_by=actor)
    _apply(person, data)
    person.full_clean()
    if not confirmed_not_duplicate:
        candidates = find_possible_duplicates(
            organization=organization,
            last_name=person.last_name,
            first_name=person.first_name,
            birth_date=person.birth_date,
        )
        if candidates:
            raise PossibleDuplicate(candidates)
    with acting_as(actor), transaction.atomic():
        person.save()
        _replace_children(person, resources, household)
    return person


def update_person(*, person: Person, data: dict, actor, resources=None, household=None) -> Person:
    _check_can_write(actor, person.organization_id)
    _apply(person, data)
    person.full_clean()
    with acting_as(actor), transaction.atomic():
        person.save()
        _replace_children(person, resources, household)
    return person

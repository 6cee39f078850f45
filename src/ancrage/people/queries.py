"""Reads on people that views and other apps may call."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.permissions import get_for_user
from ancrage.core.listing import Column
from ancrage.core.phone import display as display_phone
from ancrage.core.text import fold
from ancrage.people.models import Person, SharingObjection

SIMILARITY = 0.8


def short_name(person) -> str:
    """What a partner sees of a person (a provider, a school): first name and initial."""
    initial = person.last_name[:1].upper()
    return f"{person.first_name} {initial}." if initial else person.first_name


def get_person_for_user(user, person_id, *, write: bool = False) -> Person:
    """The person if ``user`` may see them (404 otherwise); ``write`` also needs a writing role (403)."""
    return get_for_user(
        Person.objects.visible_to(user).select_related("organization", "commune", "created_by"),
        person_id,
        user,
        action="people.change" if write else None,
    )


def people_visible_to(user) -> QuerySet[Person]:
    """The people whose files ``user`` may read (for pickers and API writes of other apps)."""
    return Person.objects.visible_to(user)


def get_archived_person_for_user(user, person_id) -> Person:
    """A file of the user's team, archived or not, if the user may open the archive (403 otherwise)."""
    return get_for_user(
        Person.objects.in_team_of(user).select_related("organization"),
        person_id,
        user,
        action="people.archive",
    )


def names_look_alike(a_last: str, a_first: str, b_last: str, b_first: str) -> bool:
    """Same person written differently: accents, case, swapped names, a typo or two."""
    a, b = fold(f"{a_last} {a_first}"), fold(f"{b_last} {b_first}")
    swapped = fold(f"{a_first} {a_last}")
    return (
        a == b
        or swapped == b
        or max(SequenceMatcher(None, a, b).ratio(), SequenceMatcher(None, swapped, b).ratio())
        >= SIMILARITY
    )


def find_possible_duplicates(*, organization, last_name, first_name, birth_date, exclude_id=None):
    """People of the organization born the same day whose name looks alike."""
    if birth_date is None:
        return []
    candidates = Person.objects.filter(organization=organization, birth_date=birth_date)
    if exclude_id:
        candidates = candidates.exclude(pk=exclude_id)
    return [
        person
        for person in candidates
        if names_look_alike(last_name, first_name, person.last_name, person.first_name)
    ]


def find_look_alikes_born_in(*, organization, last_name, first_name, year):
    """People of the organization named alike and born in ``year`` (or whose birth date is
    unknown): the duplicates of someone known only by a birth year (a landlord's file)."""
    candidates = Person.objects.filter(organization=organization, anonymised_on__isnull=True)
    if year is not None:
        candidates = candidates.filter(Q(birth_date__year=year) | Q(birth_date__isnull=True))
    return [
        person
        for person in candidates.only("last_name", "first_name", "birth_date")
        if names_look_alike(last_name, first_name, person.last_name, person.first_name)
    ]


def person_label(person: Person) -> str:
    """How a person appears in a suggestion list and in a picker once chosen: the name, and the
    birth date that tells two namesakes apart (no internal number)."""
    born = f" ({person.birth_date:%d/%m/%Y})" if person.birth_date else ""
    return f"{person.last_name.upper()} {person.first_name}{born}"


FILE_SUFFIX = " — fiche n° "
_LABEL = re.compile(r"^(?P<name>.+?) \((?P<born>\d{2}/\d{2}/\d{4})\)$")


def person_labels(people: Iterable[Person]) -> list[str]:
    """The labels of a suggestion list; two people with the same name and birth date get their
    file number after the label, the only way left to tell them apart."""
    people = list(people)
    counts = Counter(person_label(p) for p in people)
    return [
        person_label(p) + (f"{FILE_SUFFIX}{p.pk}" if counts[person_label(p)] > 1 else "")
        for p in people
    ]


def resolve_person(user, organization, text: str) -> Person | None:
    """The person a suggestion label (or an exact name) designates among those ``user`` may see:
    by name and birth date, by file number when the label carries one (or the former « [id] »
    suffix of API clients), or by a name that only one person has."""
    text = (text or "").strip()
    if not text:
        return None
    people = Person.objects.visible_to(user).filter(organization=organization)
    ident = ""
    if text.endswith("]") and "[" in text:
        ident = text.rsplit("[", 1)[1].rstrip("]").strip()
    elif FILE_SUFFIX in text:
        ident = text.rsplit(FILE_SUFFIX, 1)[1].strip()
    if ident:
        return people.filter(pk=int(ident)).first() if ident.isdigit() else None
    labelled = _LABEL.match(text)
    if labelled:
        try:
            day, month, year = (int(part) for part in labelled["born"].split("/"))
            born = datetime.date(year, month, day)
        except ValueError:
            born = None
        if born is not None:
            found = list(people.search(labelled["name"]).filter(birth_date=born)[:2])
            if len(found) == 1:
                return found[0]
    matches = list(people.search(text)[:2])
    return matches[0] if len(matches) == 1 else None


def monthly_resources_of(person: Person):
    """The total of the person's declared monthly resources (0 when none)."""
    from decimal import Decimal

    from django.db.models import Sum

    return person.resources.aggregate(total=Sum("monthly_amount"))["total"] or Decimal(0)


def sharing_objection(person: Person, partner) -> SharingObjection | None:
    """The person's objection to sharing with ``partner``, if any."""
    return SharingObjection.objects.filter(person=person, partner=partner).first()


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def filtered_people(people: Any, filters: dict[str, Any]) -> QuerySet[Person]:
    """The persons list's filters: search, situation, housing situation, commune (INSEE code) and
    age bounds (in whole years today; people without a birth date are left out by an age bound)."""
    people = people.search(filters.get("q", ""))
    if filters.get("situation"):
        people = people.filter(situation=filters["situation"])
    if filters.get("housing_situation"):
        people = people.filter(housing_situation=filters["housing_situation"])
    if filters.get("commune"):
        people = people.filter(commune__code=filters["commune"])
    today = timezone.localdate()
    if filters.get("age_min") is not None:
        people = people.filter(birth_date__lte=_years_before(today, filters["age_min"]))
    if filters.get("age_max") is not None:
        people = people.filter(birth_date__gt=_years_before(today, filters["age_max"] + 1))
    return people


# The persons list's columns (screen and export), then what only the export adds.
PERSON_COLUMNS = [
    Column(
        "nom",
        _("Nom"),
        lambda p: f"{p.last_name.upper()} {p.first_name}",
        ("last_name", "first_name"),
    ),
    Column("age", _("Âge"), lambda p: p.age, ("-birth_date",)),
    Column("telephone", _("Téléphone"), lambda p: display_phone(p.phone)),
    Column(
        "commune", _("Commune"), lambda p: p.commune.name if p.commune else "", ("commune__name",)
    ),
    Column("situation", _("Situation"), lambda p: p.get_situation_display(), ("situation",)),
]
PERSON_EXPORT_ONLY = [
    Column("naissance", _("Date de naissance"), lambda p: p.birth_date),
    Column("email", _("E-mail"), lambda p: p.email),
    Column("logement", _("Situation de logement"), lambda p: p.get_housing_situation_display()),
    Column("code_commune", _("Code INSEE"), lambda p: p.commune.code if p.commune else ""),
]

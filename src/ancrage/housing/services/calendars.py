"""Rhythms and school calendars (imported from iCal files)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.accounts.permissions import require
from ancrage.core.actor import acting_as
from ancrage.housing import calendar_import
from ancrage.housing.enums import (
    RhythmTemplate,
)
from ancrage.housing.models import (
    Rhythm,
    SchoolCalendar,
    monday_of,
)

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User
    from ancrage.people.models import Person


def create_rhythm(
    *,
    person: Person,
    name: str,
    template: str,
    first_school_week: datetime.date,
    ends_on: datetime.date,
    actor: User,
    custom_weeks: Iterable[datetime.date] = (),
    calendar: SchoolCalendar | None = None,
    external_ref: str = "",
) -> Rhythm:
    """An alternation calendar; ``first_school_week`` is moved to its Monday. With a school
    ``calendar`` (template « calendar »), the school weeks are the calendar's."""
    require(actor, "housing.manage", person.organization_id)
    errors = {}
    if template not in RhythmTemplate.values:
        errors["template"] = _("Rythme inconnu.")
    weeks = sorted({monday_of(day).isoformat() for day in custom_weeks})
    if template == RhythmTemplate.CUSTOM and not weeks:
        errors["custom_school_weeks"] = _("Indiquez les semaines à l'école.")
    if template == RhythmTemplate.CALENDAR:
        if calendar is None:
            errors["calendar"] = _("Choisissez le calendrier d'école.")
        elif calendar.organization_id != person.organization_id:
            errors["calendar"] = _("Ce calendrier appartient à une autre structure.")
    if errors:
        raise ValidationError(errors)
    rhythm = Rhythm(
        external_ref=external_ref.strip(),
        organization_id=person.organization_id,
        person=person,
        name=name.strip(),
        template=template,
        first_school_week=monday_of(first_school_week),
        ends_on=ends_on,
        custom_school_weeks=weeks if template == RhythmTemplate.CUSTOM else [],
        calendar=calendar if template == RhythmTemplate.CALENDAR else None,
    )
    rhythm.full_clean()
    with acting_as(actor), transaction.atomic():
        rhythm.save()
    return rhythm


def import_school_calendar(
    *,
    organization: Organization,
    name: str,
    filename: str,
    content: bytes,
    actor: User,
    school: Organization | None = None,
) -> SchoolCalendar:
    """A school calendar from a CSV or iCal file; all or nothing, the faulty lines named."""
    require(actor, "housing.manage", organization.pk)
    lowered = filename.lower()
    if lowered.endswith((".ics", ".ical", ".ifb")):
        weeks = calendar_import.weeks_from_ical(content)
    elif lowered.endswith((".csv", ".txt")):
        weeks = calendar_import.weeks_from_csv(content)
    else:
        raise ValidationError({"file": _("Fichier .csv ou .ics attendu.")})
    calendar = SchoolCalendar(
        organization=organization,
        school=school,
        name=name.strip(),
        weeks=[week.isoformat() for week in weeks],
    )
    calendar.full_clean()
    with acting_as(actor), transaction.atomic():
        calendar.save()
    return calendar

"""Opening hours in the OpenStreetMap ``opening_hours`` syntax (what the data·inclusion schema
asks for, « Mo-Fr 08:30-12:30; PH off »): checked with ``opening-hours-py`` (a parser of the
whole grammar, pinned) and shown in French as the week it gives, day by day, instead of a syntax
few people read."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_LENGTH = 500
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@dataclass(frozen=True)
class Day:
    name: str
    hours: str  # « 08:30 – 12:30, 14:00 – 17:00 », « fermé »


def check(expression: str) -> str | None:
    """The French reason why ``expression`` is not valid opening hours, or None."""
    if len(expression) > MAX_LENGTH:
        return _("Horaires trop longs (%(max)s caractères au plus).") % {"max": MAX_LENGTH}
    if "\x00" in expression:
        return _("Horaires illisibles (caractère de contrôle).")
    import opening_hours

    if not opening_hours.validate(expression):
        return _(
            "Horaires illisibles : écrivez-les au format OpenStreetMap, par exemple "
            "« Mo-Fr 08:30-12:30,14:00-17:00; Sa 09:00-12:00; PH off »."
        )
    return None


def week(expression: str, *, start: datetime.date) -> list[Day]:
    """The seven days from the Monday of ``start``'s week, each with its opening hours (public
    holidays are not known to the parser: a rule « PH off » leaves ordinary days as they are)."""
    if not expression or check(expression) is not None:
        return []
    from opening_hours import OpeningHours, State

    monday = start - datetime.timedelta(days=start.weekday())
    first = datetime.datetime.combine(monday, datetime.time())
    last = first + datetime.timedelta(days=7)
    spans: dict[int, list[str]] = {day: [] for day in range(7)}
    unknown: set[int] = set()
    for begin, end, state, comment in OpeningHours(expression).intervals(first, last):
        if state not in (State.OPEN, State.UNKNOWN):
            continue
        cursor = begin
        while cursor < end:
            day_end = datetime.datetime.combine(
                cursor.date(), datetime.time()
            ) + datetime.timedelta(days=1)
            stop = min(end, day_end)
            index = (cursor.date() - monday).days
            if state == State.UNKNOWN:
                unknown.add(index)
            else:
                shown_end = "24:00" if stop == day_end else stop.strftime("%H:%M")
                span = f"{cursor:%H:%M} – {shown_end}"
                if span == "00:00 – 24:00":
                    span = _("toute la journée")
                spans[index].append(f"{span} ({comment})" if comment else span)
            cursor = stop
    days = []
    for index, name in enumerate(DAYS):
        if spans[index]:
            hours = ", ".join(spans[index])
        elif index in unknown:
            hours = _("sur rendez-vous ou horaires à confirmer")
        else:
            hours = _("fermé")
        days.append(Day(name, hours))
    return days

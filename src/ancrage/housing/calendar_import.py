"""School weeks read from a CSV file or an iCalendar file, naming the line or event at fault.

CSV: one row per school period, ``début`` and optionally ``fin`` (inclusive), as AAAA-MM-JJ or
JJ/MM/AAAA, separated by ``;`` or ``,``; a first line of headers is allowed. A row with one date
means the week containing it. iCal: each event (VEVENT) is a school period from DTSTART to DTEND
(exclusive, as in RFC 5545). Every week touched by a period is a school week.
"""

from __future__ import annotations

import csv
import datetime
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from icalendar import Calendar

from ancrage.housing.models import monday_of

MAX_DAYS = 400


def _date(text: str) -> datetime.date:
    """AAAA-MM-JJ or JJ/MM/AAAA (a calendar date: no time, no time zone)."""
    text = text.strip()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    parts = text.split("/")
    if len(parts) == 3 and all(part.isdigit() for part in parts):
        try:
            return datetime.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            pass
    raise ValueError(text)


def _weeks(start: datetime.date, last_day: datetime.date) -> set[datetime.date]:
    weeks = set()
    monday = monday_of(start)
    while monday <= last_day:
        weeks.add(monday)
        monday += datetime.timedelta(weeks=1)
    return weeks


def weeks_from_csv(content: bytes) -> list[datetime.date]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    delimiter = ";" if text.count(";") >= text.count(",") else ","
    weeks: set[datetime.date] = set()
    errors = []
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        cells = [cell.strip() for cell in row if cell.strip()]
        if not cells:
            continue
        try:
            start = _date(cells[0])
            end = _date(cells[1]) if len(cells) > 1 else start
        except ValueError as exc:
            if number == 1:
                continue  # a header line
            errors.append(
                _("Ligne %(n)s : « %(value)s » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA).")
                % {"n": number, "value": exc.args[0]}
            )
            continue
        if end < start:
            errors.append(_("Ligne %(n)s : la fin précède le début.") % {"n": number})
        elif (end - start).days > MAX_DAYS:
            errors.append(_("Ligne %(n)s : période de plus de 400 jours.") % {"n": number})
        else:
            weeks |= _weeks(start, end)
    if errors:
        raise ValidationError({"file": errors})
    if not weeks:
        raise ValidationError({"file": _("Le fichier ne contient aucune période.")})
    return sorted(weeks)


def weeks_from_ical(content: bytes) -> list[datetime.date]:
    try:
        calendar = Calendar.from_ical(content)
    except ValueError as exc:
        raise ValidationError(
            {"file": _("Fichier iCal illisible : %(error)s") % {"error": exc}}
        ) from None
    weeks: set[datetime.date] = set()
    errors = []
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        summary = str(event.get("SUMMARY", "")) or _("sans titre")
        start = event.decoded("DTSTART", None)
        end = event.decoded("DTEND", None)
        if start is None:
            errors.append(
                _("Événement %(n)s (« %(s)s ») : pas de date de début.")
                % {"n": number, "s": summary}
            )
            continue
        start = start.date() if isinstance(start, datetime.datetime) else start
        if end is None:
            last = start
        else:
            end = end.date() if isinstance(end, datetime.datetime) else end
            last = max(start, end - datetime.timedelta(days=1))
        if (last - start).days > MAX_DAYS:
            errors.append(
                _("Événement %(n)s (« %(s)s ») : plus de 400 jours.") % {"n": number, "s": summary}
            )
            continue
        weeks |= _weeks(start, last)
    if errors:
        raise ValidationError({"file": errors})
    if not weeks:
        raise ValidationError({"file": _("Le fichier ne contient aucun événement.")})
    return sorted(weeks)

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

from ancrage.core.validation import EARLIEST, latest_plausible
from ancrage.housing.models import monday_of

MAX_DAYS = 400
MAX_BYTES = 2_000_000  # a school year is a few KB; a larger file is not a calendar
MAX_FIELD = 200  # characters in a CSV cell: a date never needs more


def _out_of_range(day: datetime.date) -> bool:
    return not EARLIEST <= day <= latest_plausible()


def _range_error(where: str) -> str:
    return _("%(where)s : date hors de la période possible (du %(first)s au %(last)s).") % {
        "where": where,
        "first": EARLIEST.strftime("%d/%m/%Y"),
        "last": latest_plausible().strftime("%d/%m/%Y"),
    }


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM) or Windows-1252, as spreadsheets write them."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise ValidationError(
            {"file": _("Encodage du fichier non reconnu : enregistrez-le en UTF-8 (CSV UTF-8).")}
        ) from None


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


def _too_large(content: bytes) -> None:
    if len(content) > MAX_BYTES:
        raise ValidationError(
            {"file": _("Fichier trop volumineux pour un calendrier (2 Mo au plus).")}
        )


def _rows(text: str, delimiter: str):
    """The CSV's rows, numbered; a line the CSV reader cannot read is (number, None)."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    number = 0
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield number, None
            continue
        yield number, row


def weeks_from_csv(content: bytes) -> list[datetime.date]:
    _too_large(content)
    text = _decode(content)
    delimiter = ";" if text.count(";") >= text.count(",") else ","
    weeks: set[datetime.date] = set()
    errors = []
    for number, row in _rows(text, delimiter):
        if row is None or any(len(cell) > MAX_FIELD for cell in row):
            errors.append(_("Ligne %(n)s : ligne illisible ou trop longue.") % {"n": number})
            continue
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
        if _out_of_range(start) or _out_of_range(end):
            errors.append(_range_error(_("Ligne %(n)s") % {"n": number}))
        elif end < start:
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
    _too_large(content)
    try:
        calendar = Calendar.from_ical(content)
    except (ValueError, TypeError, IndexError, KeyError):
        raise ValidationError(
            {"file": _("Fichier iCal illisible : ce n'est pas un calendrier au format iCalendar.")}
        ) from None
    weeks: set[datetime.date] = set()
    errors = []
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        summary = str(event.get("SUMMARY", ""))[:80] or _("sans titre")
        where = _("Événement %(n)s (« %(s)s »)") % {"n": number, "s": summary}
        try:
            start = event.decoded("DTSTART", None)
            end = event.decoded("DTEND", None)
        except (ValueError, TypeError, OverflowError):
            errors.append(_("%(where)s : date illisible.") % {"where": where})
            continue
        if start is not None and not isinstance(start, datetime.date):
            errors.append(_("%(where)s : date illisible.") % {"where": where})
            continue
        if start is None:
            errors.append(
                _("Événement %(n)s (« %(s)s ») : pas de date de début.")
                % {"n": number, "s": summary}
            )
            continue
        start = start.date() if isinstance(start, datetime.datetime) else start
        if end is not None and not isinstance(end, datetime.date):
            errors.append(_("%(where)s : date de fin illisible.") % {"where": where})
            continue
        if end is not None:
            end = end.date() if isinstance(end, datetime.datetime) else end
        if _out_of_range(start) or (end is not None and _out_of_range(end)):
            errors.append(_range_error(where))
            continue
        if end is not None and end < start:
            errors.append(_("%(where)s : la fin précède le début.") % {"where": where})
            continue
        last = start if end is None else max(start, end - datetime.timedelta(days=1))
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

"""Checks on what people type or upload, shared by every app, each failing with a French message
that names the field: dates in a plausible range, no bidirectional-override characters in names."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

EARLIEST = datetime.date(1900, 1, 1)
FUTURE_YEARS = 5
# Characters that reorder the text around them (U+202A–U+202E, U+2066–U+2069, marks): a name
# holding one reads differently on screen than in a file or a search.
BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def latest_plausible(future_years: int = FUTURE_YEARS) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year + future_years, day=min(today.day, 28))


def check_day(
    day: datetime.date | datetime.datetime | None,
    *,
    field: str,
    label: str | Promise,
    future_years: int | None = FUTURE_YEARS,
) -> None:
    """``day`` between 1900 and today + ``future_years`` years (``None``: not after today)."""
    if day is None:
        return
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    latest = timezone.localdate() if future_years is None else latest_plausible(future_years)
    if not EARLIEST <= day <= latest:
        raise ValidationError(
            {
                field: _("%(label)s : une date entre le %(first)s et le %(last)s est attendue.")
                % {
                    "label": label,
                    "first": EARLIEST.strftime("%d/%m/%Y"),
                    "last": latest.strftime("%d/%m/%Y"),
                }
            }
        )


def check_no_bidi(value: str, *, field: str, label: str | Promise) -> None:
    if any(c in BIDI_CONTROLS for c in value or ""):
        raise ValidationError(
            {
                field: _(
                    "%(label)s : caractère de contrôle de direction du texte refusé "
                    "(il ferait lire le nom autrement qu'il n'est écrit)."
                )
                % {"label": label}
            }
        )


def is_email(value: str) -> bool:
    """An address Django's validator accepts, 254 characters at most (a blank is not one)."""
    from django.core.validators import validate_email

    if not value or len(value) > 254:
        return False
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True

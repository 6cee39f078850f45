"""``|date`` for every template (a builtin, see settings): Django's filter, with the all-digit
formats the pages use most (« 16/10/2026 », « 16/10/2026 11:45 ») written directly. Django's
formatter reads its format letter by letter for every value; a list of 50 contacts has 70 dates.
Any other format, value or language goes to Django's filter: the text is always the one it
gives."""

import datetime
from collections.abc import Callable

from django import template
from django.template.defaultfilters import date as django_date
from django.utils.formats import get_format

register = template.Library()


def _day(value: datetime.date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _minute(value: datetime.datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


_DATES: dict[str, Callable[[datetime.date], str]] = {"d/m/Y": _day}
_DATETIMES: dict[str, Callable[[datetime.datetime], str]] = {
    "d/m/Y": _day,
    "d/m/Y H:i": lambda v: f"{_day(v)} {_minute(v)}",
    "d/m/Y à H:i": lambda v: f"{_day(v)} à {_minute(v)}",
    "d/m/Y à H:i:s": lambda v: f"{_day(v)} à {_minute(v)}:{v.second:02d}",
    "H:i": _minute,
}


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    kind = type(value)
    if kind is datetime.datetime or kind is datetime.date:
        pattern = get_format(arg or "DATE_FORMAT")
        written = (_DATETIMES if kind is datetime.datetime else _DATES).get(pattern)
        if written is not None:
            return written(value)
    return django_date(value, arg)

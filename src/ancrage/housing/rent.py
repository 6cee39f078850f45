"""How much a booking costs, month by month. Pure functions: no database, tested by hand.

Weekly occupants: a week is charged in the month where its first booked night falls (so a month
with five Mondays has five weeks); a week booked for fewer than seven nights costs nights/7 of the
weekly price, rounded to the cent. Monthly and open-ended occupants: rent and charges per calendar
month; a partial month costs the booked days over the days of that month.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_label(month: datetime.date) -> str:
    return f"{MONTHS_FR[month.month - 1]} {month.year}"


def next_month(month: datetime.date) -> datetime.date:
    """The first day of the month after the one of ``month``."""
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def weekly_amounts(periods, weekly_price: Decimal) -> dict[datetime.date, tuple[Decimal, Decimal]]:
    """{month: (amount, weeks)} for [start, end) periods charged by the week (``weeks`` may be
    fractional: 5 nights are 5/7 of a week)."""
    result: dict[datetime.date, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for start, end in periods:
        monday = start - datetime.timedelta(days=start.weekday())
        while monday < end:
            first = max(monday, start)
            last = min(monday + datetime.timedelta(weeks=1), end)
            nights = (last - first).days
            if nights == 7:
                amount, weeks = weekly_price, Decimal(1)
            else:
                amount = (weekly_price * nights / 7).quantize(CENT, ROUND_HALF_UP)
                weeks = Decimal(nights) / 7
            bucket = result[first_of_month(first)]
            bucket[0] += amount
            bucket[1] += weeks
            monday += datetime.timedelta(weeks=1)
    return {month: (amount, weeks) for month, (amount, weeks) in sorted(result.items())}


def monthly_amounts(
    periods, monthly_total: Decimal, *, through: datetime.date
) -> dict[datetime.date, tuple[Decimal, int, int]]:
    """{month: (amount, days booked, days in month)} up to the end of the month of ``through``;
    open-ended periods (end None) run to that point."""
    stop = next_month(first_of_month(through))
    result: dict[datetime.date, list] = {}
    for start, end in periods:
        end = min(end or stop, stop)
        month = first_of_month(start)
        while month < end:
            following = next_month(month)
            days = (min(end, following) - max(start, month)).days
            if days > 0:
                length = calendar.monthrange(month.year, month.month)[1]
                bucket = result.setdefault(month, [0, length])
                bucket[0] += days
            month = following
    amounts = {}
    for month, (days, length) in sorted(result.items()):
        amount = (
            monthly_total
            if days >= length
            else (monthly_total * days / length).quantize(CENT, ROUND_HALF_UP)
        )
        amounts[month] = (amount, days, length)
    return amounts

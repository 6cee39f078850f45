"""What a resident may use of a pack, and what is left: the pro rata of each entitlement.

A resident is someone housed (a booking or a lease) in one of the pack's residences on a day
(``housing.queries.stays``); the days count only within the pack's own dates. For each
entitlement, the *window* the page, the API and the indicators speak of holds ``day``:

- « par mois »: the calendar month; ``quantity × days housed in the month ÷ days in the month``,
  rounded half up (20 meals a month, arrival on 16 November: 20 × 15 ÷ 30 = 10);
- « par année civile »: the calendar year, the same pro rata over its days;
- « par semaine de présence »: the calendar month; ``quantity`` for each week (Monday to Sunday)
  whose first day housed falls in the month — an apprentice alternating school and employer
  gets the transport of the weeks they are at the residence, not of the calendar weeks;
- « pour tout le séjour »: the pack's whole dates; ``quantity`` once, when housed at all.

Used is the sum of the deliveries dated in the window; left is what remains, never below zero;
beyond is what was delivered over the allowance (each such delivery carries its reason).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.catalogue.models import Delivery, Entitlement, Pack, Period
from ancrage.housing import queries as housing

Runs = list[tuple[datetime.date, datetime.date]]

MONTHS = (
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
)


@dataclass(frozen=True)
class Window:
    start: datetime.date
    end: datetime.date  # excluded
    label: str


def month_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = day.replace(day=1)
    return first, first + datetime.timedelta(days=calendar.monthrange(day.year, day.month)[1])


def month_label(day: datetime.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def window(entitlement: Entitlement, pack: Pack, day: datetime.date) -> Window:
    if entitlement.period in (Period.MONTH, Period.WEEK):
        start, end = month_of(day)
        return Window(start, end, month_label(day))
    if entitlement.period == Period.YEAR:
        return Window(
            datetime.date(day.year, 1, 1), datetime.date(day.year + 1, 1, 1), str(day.year)
        )
    end = pack.ends_on or datetime.date.max
    return Window(pack.starts_on, end, _("séjour"))


def _clip(runs: Runs, start: datetime.date, end: datetime.date) -> Runs:
    return [(max(a, start), min(b, end)) for a, b in runs if a < end and b > start]


def days_in(runs: Runs, start: datetime.date, end: datetime.date) -> int:
    return sum((b - a).days for a, b in _clip(runs, start, end))


def present_weeks(runs: Runs, start: datetime.date, end: datetime.date) -> int:
    """The weeks (Monday to Sunday) whose first day housed lies in [start, end)."""
    first_days: dict[datetime.date, datetime.date] = {}
    for a, b in _clip(runs, start - datetime.timedelta(days=start.weekday()), end):
        day = a
        while day < b:
            monday = day - datetime.timedelta(days=day.weekday())
            first_days[monday] = min(first_days.get(monday, day), day)
            day = monday + datetime.timedelta(weeks=1)
    return sum(1 for day in first_days.values() if start <= day < end)


def _pro_rata(quantity: int, days: int, length: int) -> int:
    return int((Decimal(quantity * days) / Decimal(length)).quantize(Decimal(1), ROUND_HALF_UP))


def allowance(entitlement: Entitlement, pack: Pack, runs: Runs, win: Window) -> int:
    """What ``runs`` (the days housed, already within the pack's dates) give in ``win``."""
    if entitlement.period == Period.STAY:
        return entitlement.quantity if runs else 0
    if entitlement.period == Period.WEEK:
        return entitlement.quantity * present_weeks(runs, win.start, win.end)
    length = (win.end - win.start).days
    return _pro_rata(entitlement.quantity, days_in(runs, win.start, win.end), length)


def _shift(day: datetime.date, days: int) -> datetime.date:
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return day


def stay_bounds(pack: Pack, win_start: datetime.date, win_end: datetime.date):
    """The days to read the stays over: the window widened by a week each side (a week's first
    day housed may lie before the window), within the pack's dates."""
    start = max(pack.starts_on, _shift(win_start, -7))
    end = min(pack.ends_on or datetime.date.max, _shift(win_end, 7))
    return start, end


@dataclass(frozen=True)
class Balance:
    entitlement: Entitlement
    window: Window
    allowed: int
    used: int

    @property
    def left(self) -> int:
        return max(0, self.allowed - self.used)

    @property
    def beyond(self) -> int:
        return max(0, self.used - self.allowed)


def residence_ids(pack: Pack) -> list[int]:
    return [residence.pk for residence in pack.residences.all()]


def housed(
    pack: Pack, start: datetime.date, end: datetime.date, *, person_ids=None
) -> dict[int, Runs]:
    """The people housed in the pack's residences over [start, end) ∩ the pack's dates."""
    start = max(start, pack.starts_on)
    end = min(end, pack.ends_on or datetime.date.max)
    if start >= end:
        return {}
    return housing.stays(residence_ids(pack), start, end, person_ids=person_ids)


def balances_of(
    pack: Pack,
    day: datetime.date,
    *,
    person_ids: Iterable[int] | None = None,
    entitlements: Iterable[Entitlement] | None = None,
) -> dict[int, list[Balance]]:
    """Each entitlement of the pack for each resident (those of ``person_ids``, or everyone
    housed in the longest window), in its window around ``day``: three queries in all."""
    entitlements = list(pack.entitlements.all() if entitlements is None else entitlements)
    if not entitlements:
        return {}
    windows = {e.pk: window(e, pack, day) for e in entitlements}
    start, end = stay_bounds(
        pack, min(w.start for w in windows.values()), max(w.end for w in windows.values())
    )
    wanted = None if person_ids is None else list(person_ids)
    runs = housed(pack, start, end, person_ids=wanted)
    people = sorted(runs) if wanted is None else wanted
    used: dict[tuple[int, int], int] = {}
    rows = Delivery.objects.filter(
        entitlement__in=entitlements,
        person_id__in=people,
        delivered_on__gte=min(w.start for w in windows.values()),
        delivered_on__lt=max(w.end for w in windows.values()),
    ).values_list("entitlement_id", "person_id", "delivered_on", "quantity")
    for entitlement_id, person_id, delivered_on, quantity in rows:
        w = windows[entitlement_id]
        if w.start <= delivered_on < w.end:
            used[entitlement_id, person_id] = used.get((entitlement_id, person_id), 0) + quantity
    return {
        person_id: [
            Balance(
                e,
                windows[e.pk],
                allowance(e, pack, runs.get(person_id, []), windows[e.pk]),
                used.get((e.pk, person_id), 0),
            )
            for e in entitlements
        ]
        for person_id in people
    }


def balances(pack: Pack, person_id: int, day: datetime.date, **kwargs) -> list[Balance]:
    """Each entitlement of the pack for one resident, in its window around ``day``."""
    return balances_of(pack, day, person_ids=[person_id], **kwargs).get(person_id, [])


def reference_day(month: datetime.date) -> datetime.date:
    """The day a month's balances are read on: today in the current month, the month's first
    day otherwise (the page and the API alike)."""
    today = timezone.localdate()
    return today if today.replace(day=1) == month else month

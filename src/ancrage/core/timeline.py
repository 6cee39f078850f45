"""One entry of a person's timeline: each app says what happened with the person in its records,
``ancrage.casefile`` puts the entries together."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime.datetime
    kind: str
    text: str
    url: str = ""
    has_time: bool = True


def at_day(day: datetime.date) -> datetime.datetime:
    """A day as the start of that day, to sort day-only events among timed ones."""
    return datetime.datetime.combine(day, datetime.time.min, timezone.get_current_timezone())

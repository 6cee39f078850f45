"""The person's timeline, put together from the apps that hold their records."""

from __future__ import annotations

from ancrage.activities import queries as activities
from ancrage.core.timeline import TimelineEntry
from ancrage.support import queries as support

TIMELINE_LIMIT = 100


def person_timeline(person, *, limit: int = TIMELINE_LIMIT) -> list[TimelineEntry]:
    """Everything that happened with the person in their organization, most recent first.

    One query per source, each capped at ``limit``: the page cost does not grow with the history.
    """
    entries = [
        *support.timeline_entries(person, limit=limit),
        *activities.timeline_entries(person, limit=limit),
    ]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]

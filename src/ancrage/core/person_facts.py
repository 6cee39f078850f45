"""Short facts an app knows about the people followed, shown where another app lists them: an
apprentice's diploma, school and employer on the allocation proposal and the booking page.
``core`` imports no app: the app that knows registers a provider from its ``AppConfig.ready``,
the page that shows asks ``facts_for`` (one query per provider, whatever the number of people).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

Provider = Callable[[list[int], datetime.date], dict[int, list[str]]]

_PROVIDERS: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Add (or replace, on reload) the provider ``name``."""
    _PROVIDERS[name] = provider


def facts_for(person_ids: Iterable[int], on: datetime.date) -> dict[int, list[str]]:
    """Each person's facts on day ``on`` (people without any are left out)."""
    ids = sorted(set(person_ids))
    merged: dict[int, list[str]] = {}
    if not ids:
        return merged
    for name in sorted(_PROVIDERS):
        for person_id, facts in _PROVIDERS[name](ids, on).items():
            merged.setdefault(person_id, []).extend(facts)
    return merged

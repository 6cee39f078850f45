"""Signals that let apps talk without importing each other."""

from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any

from django.dispatch import Signal

# Sent by a view that displays a record holding personal data.
# Arguments: ``instance`` (the record), ``actor`` (the user), ``organization`` (in whose name).
object_viewed = Signal()

# Sent by a view that lists records holding personal data (a page of results, an API list).
# Arguments: ``model``, ``rows`` (``(pk, organization_id)`` of each record shown), ``actor``,
# ``how`` ("liste", or what an export was: "export xlsx").
objects_listed = Signal()


def list_read(
    *,
    model: type,
    records: Iterable[Any],
    actor: Any,
    organization_of: Callable[[Any], int | None] = attrgetter("organization_id"),
    how: str = "liste",
) -> None:
    """Report that ``actor`` was shown ``records`` (a page of a list, or every row of an export):
    ``objects_listed``."""
    objects_listed.send(
        sender=model,
        model=model,
        rows=[(record.pk, organization_of(record)) for record in records],
        actor=actor,
        how=how,
    )

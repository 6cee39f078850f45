"""Signals that let apps talk without importing each other."""

from django.dispatch import Signal

# Sent by a view that displays a record holding personal data.
# Arguments: ``instance`` (the record), ``actor`` (the user), ``organization`` (in whose name).
object_viewed = Signal()

# Sent by a view that lists records holding personal data (a page of results, an API list).
# Arguments: ``model``, ``rows`` (``(pk, organization_id)`` of each record shown), ``actor``.
objects_listed = Signal()

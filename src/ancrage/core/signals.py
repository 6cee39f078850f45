"""Signals that let apps talk without importing each other."""

from django.dispatch import Signal

# Sent by a view that displays a record holding personal data.
# Arguments: ``instance`` (the record), ``actor`` (the user), ``organization`` (in whose name).
object_viewed = Signal()

"""A browser's view of the pages: a test client signed in as one user."""

from __future__ import annotations

from django.test import Client


def client_of(user) -> Client:
    """A new client with ``user`` signed in (each user in a test gets their own)."""
    client = Client()
    client.force_login(user)
    return client

"""Who is acting right now, for the audit trail: the current request's user, or one set explicitly.

The request is kept rather than its user because DRF authenticates API tokens inside the view,
after the middleware ran; reading ``request.user`` at write time sees the token's user.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_request: ContextVar[Any] = ContextVar("ancrage_request", default=None)
_actor: ContextVar[Any] = ContextVar("ancrage_actor", default=None)


@contextmanager
def request_context(request) -> Iterator[None]:
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


@contextmanager
def acting_as(user) -> Iterator[None]:
    """Attribute writes to ``user`` outside a request (commands, tasks, tests)."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor():
    """The acting user, or ``None`` for the system (migrations, commands without ``acting_as``)."""
    actor = _actor.get()
    if actor is not None:
        return actor
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    if user is not None and user.is_authenticated:
        return user
    return None


def current_request():
    return _request.get()

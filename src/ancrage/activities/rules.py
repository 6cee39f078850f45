"""Rules that apps above activities add to its writes without activities importing them (ADR 0020).

A citizen pathway (partnerships) says on which weeks an apprentice may be signed up for a session
of one of its modules, and lets the school that delivers a module note who came. ``activities``
stays the one place where registrations and attendances are written: its services ask the rules
registered here from an ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ancrage.accounts.models import User
    from ancrage.activities.models import Session
    from ancrage.people.models import Person

# Raises ValidationError when ``person`` may not be signed up for ``session``.
RegistrationCheck = Callable[["Session", "Person"], None]
# True when ``actor``, outside the session's organization, may note ``person`` present there.
AttendanceGrant = Callable[["User", "Session", "Person"], bool]

_CHECKS: dict[str, RegistrationCheck] = {}
_GRANTS: dict[str, AttendanceGrant] = {}


def add_registration_check(name: str, check: RegistrationCheck) -> None:
    _CHECKS[name] = check


def add_attendance_grant(name: str, grant: AttendanceGrant) -> None:
    _GRANTS[name] = grant


def check_registration(session: Session, person: Person) -> None:
    for name in sorted(_CHECKS):
        _CHECKS[name](session, person)


def attendance_granted(actor: User, session: Session, person: Person) -> bool:
    return any(_GRANTS[name](actor, session, person) for name in sorted(_GRANTS))

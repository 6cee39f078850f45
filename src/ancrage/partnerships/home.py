"""The home panel of a committee member: the decisions they carry, soonest first."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from ancrage.partnerships.queries import open_decisions_of


def build(request: HttpRequest) -> dict[str, Any] | None:
    if not request.user.is_authenticated:
        return None
    decisions = open_decisions_of(request.user)
    if not decisions:
        return None
    return {"decisions": decisions, "today": timezone.localdate()}

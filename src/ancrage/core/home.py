"""The home page is made of panels that the apps register: each knows what its users came for
(the counsellor's day, the residence's week, the funder's programs) and decides whether it
applies to the person asking. ``core`` imports no app: apps call ``register`` from their
``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    order: int
    # The panel's context for this request, or None when it does not concern the person.
    build: Callable[[HttpRequest], dict[str, Any] | None]


_PANELS: dict[str, Panel] = {}


def register(
    *,
    name: str,
    template: str,
    order: int,
    build: Callable[[HttpRequest], dict[str, Any] | None],
) -> None:
    """Add (or replace, on reload) the panel ``name`` to the home page."""
    _PANELS[name] = Panel(name=name, template=template, order=order, build=build)


def panels_for(request: HttpRequest) -> list[tuple[Panel, dict[str, Any]]]:
    """The panels that concern the person asking, in order, each with its context."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        context = panel.build(request)
        if context is not None:
            shown.append((panel, context))
    return shown

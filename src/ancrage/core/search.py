"""The search box of the header: each app registers what it can find (a person by name, phone
or SNE number, a residence or a unit, a partner organization) and decides whether it applies to
the person asking; ``core`` imports no app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

LIMIT = 10  # results per group; the group's own page holds the rest


@dataclass(frozen=True)
class Result:
    label: str
    detail: str
    url: str


@dataclass(frozen=True)
class Group:
    title: str
    results: list[Result]
    more_url: str | None = None  # the list that holds every match


@dataclass(frozen=True)
class Provider:
    name: str
    order: int
    # The group found for ``query``, or None when the provider does not concern the person.
    search: Callable[[HttpRequest, str], Group | None]


_PROVIDERS: dict[str, Provider] = {}


def register(*, name: str, order: int, search: Callable[[HttpRequest, str], Group | None]) -> None:
    _PROVIDERS[name] = Provider(name=name, order=order, search=search)


def search_all(request: HttpRequest, query: str) -> list[Group]:
    groups = []
    for provider in sorted(_PROVIDERS.values(), key=lambda p: (p.order, p.name)):
        group = provider.search(request, query)
        if group is not None:
            groups.append(group)
    return groups

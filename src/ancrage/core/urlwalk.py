"""Walk the URL configuration: every URL pattern with its full name, for the access registry's test."""

from __future__ import annotations

from typing import NamedTuple

from django.urls import URLPattern, URLResolver, get_resolver


class NamedUrl(NamedTuple):
    name: str | None  # "namespace:name", or None for an unnamed pattern
    namespace: str  # "namespace:" or ""
    route: str


def iter_urls(patterns=None, namespace: str = "", prefix: str = "") -> list[NamedUrl]:
    if patterns is None:
        patterns = get_resolver().url_patterns
    found = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            child_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += iter_urls(entry.url_patterns, child_ns, route)
        elif isinstance(entry, URLPattern):
            found.append(
                NamedUrl(f"{namespace}{entry.name}" if entry.name else None, namespace, route)
            )
    return found

"""Addresses of routes that take whole numbers (or nothing), reversed in a string join:
``fast_reverse`` learns each route's shape once (« /personnes/<n>/ ») and fills it in, where
Django's ``reverse`` walks the resolver for every link (a caseload page has a hundred, the menu
twenty). Any other route, argument or surprise goes
to ``reverse``: the result is always the one ``reverse`` gives."""

from __future__ import annotations

from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse
from django.urls.exceptions import NoReverseMatch

# Numbers no route holds by chance, to find where each argument goes; a second set checks that any
# whole number fits (a route whose pattern wants, say, four digits falls back to ``reverse``).
_MARKS = (918273645, 827364519, 736451928, 645192837)
_CHECK = (7, 30, 4, 12)

_shapes: dict[tuple, tuple[str, ...] | None] = {}


def _shape(viewname: str, count: int) -> tuple[str, ...] | None:
    try:
        marked = reverse(viewname, args=_MARKS[:count])
        checked = reverse(viewname, args=_CHECK[:count])
    except NoReverseMatch:
        return None
    parts: list[str] = []
    rest = marked
    for mark in _MARKS[:count]:
        head, found, rest = rest.partition(str(mark))
        if not found:
            return None
        parts.append(head)
    parts.append(rest)
    shape = tuple(parts)
    return shape if _fill(shape, _CHECK[:count]) == checked else None


def _fill(shape: tuple[str, ...], args: tuple[int, ...]) -> str:
    text = shape[0]
    for arg, part in zip(args, shape[1:], strict=True):
        text += str(arg) + part
    return text


def fast_reverse(viewname: str, args: tuple[Any, ...] | list[Any] = ()) -> str:
    """``reverse(viewname, args=args)``, computed once per route when every argument is a whole
    number ≥ 0 (an id) or there is none, looked up again otherwise."""
    args = tuple(args)
    if len(args) > len(_MARKS) or not all(type(a) is int and a >= 0 for a in args):
        return reverse(viewname, args=args)
    key = (viewname, len(args), get_script_prefix(), get_urlconf())
    try:
        shape = _shapes[key]
    except KeyError:
        shape = _shapes[key] = _shape(viewname, len(args))
    if shape is None:
        return reverse(viewname, args=args)
    return _fill(shape, args)

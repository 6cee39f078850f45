"""Choice labels looked up once per field and language, not rebuilt on every call.

Django's ``get_<field>_display()`` builds a dict of the field's choices and translates every label on
each call: a list of 50 rows with three coded columns pays that 150 times per page (a third of the
page's time, issue 23). ``install()`` (from ``CoreConfig.ready``) points it at a lookup in a table
kept per field and per active language. Fields whose choices are computed (a callable) keep Django's
behaviour: their labels may change between calls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import get_language

# {(a field or a choices enum, language): {value: label}}
_TABLES: dict[tuple[Any, str | None], dict[Any, str]] = {}


def _labels(owner: Any, choices: Callable[[], Any]) -> dict[Any, str]:
    """The labels of ``owner``'s choices in the active language, translated once. ``choices`` is
    called only then (a field's ``flatchoices`` flattens them again on every call)."""
    key = (owner, get_language())
    table = _TABLES.get(key)
    if table is None:
        table = {value: force_str(label) for value, label in choices()}
        _TABLES[key] = table
    return table


def _table(field: models.Field) -> dict[Any, str] | None:
    if not isinstance(field.choices, list | tuple):
        return None
    return _labels(field, lambda: field.flatchoices)


def enum_labels(choices: type[models.Choices]) -> dict[Any, str]:
    """``{value: label}`` of a choices enum in the active language (for lists of codes kept in a
    JSON field, which have no ``get_<field>_display``)."""
    return _labels(choices, lambda: choices.choices)


def choice_label(instance: models.Model, field: models.Field) -> Any:
    """What ``get_<field>_display()`` returns: the label of the value, or the value itself."""
    value = getattr(instance, field.attname)
    table = _table(field)
    if table is None:
        return _django_display(instance, field)
    try:
        return table.get(value, value)
    except TypeError:  # an unhashable value (a list in a JSON field): Django's own lookup
        return _django_display(instance, field)


_django_display = models.Model._get_FIELD_display  # type: ignore[attr-defined]


def install() -> None:
    """Point every model's ``get_<field>_display`` made by Django at ``choice_label`` (a model's own
    ``get_<field>_display``, written by hand, is left alone)."""
    import inspect
    from functools import partialmethod

    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            current = inspect.getattr_static(model, name, None)
            if isinstance(current, partialmethod) and current.func is _django_display:
                setattr(model, name, partialmethod(choice_label, field=field))

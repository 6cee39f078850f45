"""Services take each field as its own keyword argument, so that a misspelt or unknown field is a
``TypeError`` at the call, not a value silently dropped. ``UNSET`` marks a field the caller did not
give: a new object keeps the model's default, an existing one keeps its value."""

from __future__ import annotations

import enum
from typing import Any, Literal, TypeAlias, TypeVar, Union

from django.db import models


class _Unset(enum.Enum):
    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset.UNSET
Unset: TypeAlias = Literal[_Unset.UNSET]
T = TypeVar("T")
Maybe: TypeAlias = Union[T, Unset]  # noqa: UP007 (T | Unset is not a generic alias for mypy)


def given(values: dict[str, Any]) -> dict[str, Any]:
    """The values the caller gave (UNSET left out)."""
    return {key: value for key, value in values.items() if value is not UNSET}


def assign(instance: models.Model, **values: Any) -> None:
    """Set the given fields on ``instance``; strings are stripped of surrounding spaces."""
    for key, value in given(values).items():
        setattr(instance, key, value.strip() if isinstance(value, str) else value)

"""Statistical secrecy for figures about people: small cells withheld, and the one cell that
subtraction from a total would give back withheld with them."""

from __future__ import annotations

from collections.abc import Sequence


def complete_withholding(withheld: Sequence[bool], values: Sequence[float]) -> list[bool]:
    """The cells of one breakdown to withhold: those already withheld and, when exactly one is,
    the smallest shown one too, so that it cannot be found back from the total."""
    result = list(withheld)
    if result.count(True) == 1:
        shown = [i for i, hidden in enumerate(result) if not hidden]
        if shown:
            result[min(shown, key=lambda i: values[i])] = True
    return result

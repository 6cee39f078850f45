"""Money and numbers formatted the French way, independent of the active locale."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


def format_number(value: Decimal | int | float, decimals: int = 0) -> str:
    """``1234.5`` → ``"1 234,50"`` with narrow no-break spaces between thousands."""
    quantum = Decimal(1).scaleb(-decimals)
    amount = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    integer, _, fraction = f"{abs(amount):f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = NARROW_NBSP.join(groups)
    if decimals:
        text += "," + fraction
    return sign + text


def format_euros(value: Decimal | int | float | None, decimals: int = 2) -> str:
    """``1234.56`` → ``"1 234,56 €"``; ``None`` → an em dash, so that a blank is never read as zero."""
    if value is None:
        return "—"
    return f"{format_number(value, decimals)}{NBSP}€"

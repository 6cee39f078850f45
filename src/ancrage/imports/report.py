"""The report of refused lines as a CSV the user opens in a spreadsheet (UTF-8 with its mark, ;)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from ancrage.core.listing import neutralise

HEADERS = ["feuille", "ligne", "colonne", "motif"]


def report_csv(problems: Iterable[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    for problem in problems:
        writer.writerow(
            [
                neutralise(str(problem["sheet"])),
                problem["line"],
                neutralise(str(problem["column"])),
                neutralise(str(problem["message"])),
            ]
        )
    return buffer.getvalue()


def summary(counts: dict[str, dict[str, int]]) -> list[tuple[str, dict[str, int]]]:
    """Per sheet, in the import's order, with the French label."""
    from ancrage.imports.enums import SheetKind

    labels = dict(SheetKind.choices)
    return [(str(labels[kind]), counts[kind]) for kind in SheetKind.values if kind in counts]

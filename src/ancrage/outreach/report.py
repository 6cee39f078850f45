"""The report of a landlord's file: its refused lines as a spreadsheet opens them (UTF-8 with
its mark, ;), every cell neutralised so that a header or a message cannot run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from ancrage.core.listing import neutralise


def report_csv(problems: Iterable[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["ligne", "colonne", "motif"])
    for problem in problems:
        writer.writerow(
            [problem["line"], neutralise(str(problem["column"])), neutralise(problem["message"])]
        )
    return buffer.getvalue()

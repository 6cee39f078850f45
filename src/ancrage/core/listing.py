"""Lists people expect: columns sorted by a click (``?tri=nom``, ``?tri=-nom``), filters kept in
the address, and the very rows on screen — all pages of them — exported to CSV or XLSX
(``?export=xlsx``). A view declares its columns once; the page's header, the sort and the export
all read them."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ancrage.core.signals import list_read

SORT_PARAM = "tri"
EXPORT_PARAM = "export"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
# A spreadsheet cell starting with one of these is a formula: a name typed as "=HYPERLINK(...)"
# must stay text in the export (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str  # the column's name in the address (``?tri=<key>``)
    label: str | Promise
    value: Callable[[Any], Any]  # the cell of a row, for the export
    order: tuple[str, ...] = ()  # the ORDER BY of the column; empty: not sortable


@dataclass(frozen=True)
class Header:
    """A column heading as the template draws it: a link that sorts, and the current state."""

    label: str | Promise
    url: str | None
    state: str  # "ascending", "descending" or "" (aria-sort)


def sort(
    queryset: QuerySet, columns: Sequence[Column], raw: str | None, *, default: str
) -> tuple[QuerySet, str]:
    """The queryset ordered by ``raw`` (a column key, ``-`` first for descending), or by
    ``default`` when ``raw`` names no sortable column. Returns it with the key applied."""
    by_key = {c.key: c for c in columns if c.order}
    wanted = (raw or "").strip()
    key = wanted.removeprefix("-")
    if key not in by_key:
        wanted, key = default, default.removeprefix("-")
    descending = wanted.startswith("-")
    fields = [_reversed(f) if descending else f for f in by_key[key].order]
    return queryset.order_by(*fields, "-pk" if descending else "pk"), wanted


def _reversed(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


def headers(request: HttpRequest, columns: Sequence[Column], current: str) -> list[Header]:
    """Each column's heading: sortable ones link to the same address sorted by them (ascending
    first, then reversed), keeping the filters and leaving the page number out."""
    result = []
    for column in columns:
        if not column.order:
            result.append(Header(column.label, None, ""))
            continue
        state = ""
        target = column.key
        if current == column.key:
            state, target = "ascending", f"-{column.key}"
        elif current == f"-{column.key}":
            state = "descending"
        params = request.GET.copy()
        params.pop("page", None)
        params.pop(EXPORT_PARAM, None)
        params[SORT_PARAM] = target
        result.append(Header(column.label, f"?{params.urlencode()}", state))
    return result


def export_links(request: HttpRequest) -> dict[str, str]:
    """The addresses of the exports of the list as filtered and sorted on screen."""
    links = {}
    for fmt in FORMATS:
        params = request.GET.copy()
        params.pop("page", None)
        params[EXPORT_PARAM] = fmt
        links[fmt] = f"?{params.urlencode()}"
    return links


def wanted_export(request: HttpRequest) -> str | None:
    """``csv`` or ``xlsx`` when the address asks for an export; None otherwise (an unknown format
    is the page itself)."""
    fmt = request.GET.get(EXPORT_PARAM, "")
    return fmt if fmt in FORMATS else None


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    return str(value)


def _csv_text(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return value


def export_read(
    request: HttpRequest,
    rows: Iterable[Any],
    columns: Sequence[Column],
    *,
    fmt: str,
    model: type,
    name: str,
    title: str,
) -> HttpResponse:
    """Export a list of records holding personal data: every row exported is reported as read
    (``list_read``, « export xlsx de N » in the trail), the file dated today."""
    rows = list(rows)
    list_read(model=model, records=rows, actor=request.user, how=f"export {fmt}")
    return export(
        rows, columns, fmt=fmt, filename=f"{name}-{timezone.localdate():%Y-%m-%d}", title=title
    )


def export(
    rows: Iterable[Any], columns: Sequence[Column], *, fmt: str, filename: str, title: str
) -> HttpResponse:
    """The rows as a download: CSV (UTF-8 with BOM, « ; » as Excel expects in French) or XLSX
    (one sheet, bold header, dates as dates)."""
    table = [[_cell(column.value(row)) for column in columns] for row in rows]
    header = [str(column.label) for column in columns]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(header)
        for line in table:
            writer.writerow([_csv_text(v) for v in line])
        content: bytes = buffer.getvalue().encode("utf-8-sig")
        content_type = "text/csv; charset=utf-8"
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = title[:31]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for line in table:
            sheet.append(line)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, datetime.datetime):
                    cell.number_format = "DD/MM/YYYY HH:MM"
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
        sheet.freeze_panes = "A2"
        buffer_bytes = io.BytesIO()
        workbook.save(buffer_bytes)
        content = buffer_bytes.getvalue()
        content_type = XLSX
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response

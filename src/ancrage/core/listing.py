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

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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
PAGE_SIZE = 50


@dataclass(frozen=True)
class Column:
    key: str  # the column's name in the address (``?tri=<key>``)
    label: str | Promise
    value: Callable[[Any], Any]  # the cell of a row, for the export
    order: tuple[str, ...] = ()  # the ORDER BY of the column; empty: not sortable
    numeric: bool = False  # aligned right on screen


@dataclass(frozen=True)
class Header:
    """A column heading as the template draws it: a link that sorts, and the current state."""

    label: str | Promise
    url: str | None
    state: str  # "ascending", "descending" or "" (aria-sort)
    numeric: bool = False


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


def sort_rows(
    rows: Iterable[Any], columns: Sequence[Column], raw: str | None, *, default: str
) -> tuple[list[Any], str]:
    """``sort`` for rows computed in Python (not a queryset): by the column's cell, empty cells
    last whatever the direction."""
    sortable = {c.key: c for c in columns if c.order}
    wanted = (raw or "").strip()
    key = wanted.removeprefix("-")
    if key not in sortable:
        wanted, key = default, default.removeprefix("-")
    value = sortable[key].value
    present = [r for r in rows if value(r) not in (None, "")]
    missing = [r for r in rows if value(r) in (None, "")]
    present.sort(key=lambda r: _sort_key(value(r)), reverse=wanted.startswith("-"))
    return present + missing, wanted


def _sort_key(value: Any) -> Any:
    return str(value).casefold() if isinstance(value, str | Promise) else value


def _reversed(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


def headers(request: HttpRequest, columns: Sequence[Column], current: str) -> list[Header]:
    """Each column's heading: sortable ones link to the same address sorted by them (ascending
    first, then reversed), keeping the filters and leaving the page number out."""
    result = []
    for column in columns:
        if not column.order:
            result.append(Header(column.label, None, "", column.numeric))
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
        result.append(Header(column.label, f"?{params.urlencode()}", state, column.numeric))
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


def neutralise(value: str) -> str:
    """A text a spreadsheet will show as text, not run as a formula (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, str):
        return neutralise(value)
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
    record: Callable[[Any], Any] | None = None,
    organization_of: Callable[[Any], int | None] | None = None,
) -> HttpResponse:
    """Export a list of records holding personal data: every row exported is reported as read
    (``list_read``, « export xlsx de N » in the trail), the file dated today. ``record`` gives the
    model instance of a row when rows are not instances themselves."""
    rows = list(rows)
    read = [record(r) for r in rows] if record else rows
    _report(request, model, read, organization_of, how=f"export {fmt}")
    return export(
        rows, columns, fmt=fmt, filename=f"{name}-{timezone.localdate():%Y-%m-%d}", title=title
    )


def _report(
    request: HttpRequest,
    model: type,
    records: Iterable[Any],
    organization_of: Callable[[Any], int | None] | None,
    *,
    how: str,
) -> None:
    if organization_of is None:
        list_read(model=model, records=records, actor=request.user, how=how)
    else:
        list_read(
            model=model,
            records=records,
            actor=request.user,
            how=how,
            organization_of=organization_of,
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


def list_page(
    request: HttpRequest,
    template: str,
    rows: QuerySet | Iterable[Any],
    columns: Sequence[Column],
    *,
    default: str,
    name: str,
    title: str,
    model: type | None = None,
    record: Callable[[Any], Any] | None = None,
    organization_of: Callable[[Any], int | None] | None = None,
    export_only: Sequence[Column] = (),
    valid: bool = True,
    context: dict[str, Any] | None = None,
    page_size: int = PAGE_SIZE,
    page_only: Sequence[str] = (),
) -> HttpResponse:
    """A list as people expect it, in one call: ``rows`` (already filtered) sorted by the address,
    paginated, or exported whole to CSV/XLSX with the ``export_only`` columns added. With a
    ``model``, the rows hold personal data: the page shown and every exported row are reported as
    read (``record`` maps a row to its instance). Invalid filters (``valid`` false) show nothing
    with a 400, the form's errors on the page.

    ``page_only``: the fields the page shows (``QuerySet.only``), when a row holds many more
    (exports still get every column).

    The template receives ``page``, ``headers``, ``exports``, ``sorted_by`` and ``querystring``
    (the address without the page number, for the pagination links) on top of ``context``."""
    raw = request.GET.get(SORT_PARAM)
    if isinstance(rows, QuerySet):
        rows, sorted_by = sort(rows, columns, raw, default=default)
        if not valid:
            rows = rows.none()
    else:
        rows, sorted_by = sort_rows(rows, columns, raw, default=default)
        if not valid:
            rows = []
    fmt = wanted_export(request)
    if fmt and valid:
        every = [*columns, *export_only]
        if model is not None:
            return export_read(
                request,
                rows,
                every,
                fmt=fmt,
                model=model,
                name=name,
                title=title,
                record=record,
                organization_of=organization_of,
            )
        filename = f"{name}-{timezone.localdate():%Y-%m-%d}"
        return export(rows, every, fmt=fmt, filename=filename, title=title)
    if page_only and isinstance(rows, QuerySet):
        rows = rows.only(*page_only)
    page = Paginator(rows, page_size).get_page(request.GET.get("page"))
    if model is not None:
        shown = page.object_list
        read = [record(r) for r in shown] if record else shown
        _report(request, model, read, organization_of, how="liste")
    params = request.GET.copy()
    params.pop("page", None)
    params.pop(EXPORT_PARAM, None)
    return render(
        request,
        template,
        {
            **(context or {}),
            "page": page,
            "headers": headers(request, columns, sorted_by),
            "exports": export_links(request),
            "querystring": params.urlencode(),
            "sorted_by": sorted_by,
        },
        status=200 if valid else 400,
    )

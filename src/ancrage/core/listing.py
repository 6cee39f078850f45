"""Lists people expect: columns sorted by a click (``?tri=nom``, ``?tri=-nom``), filters kept in
the address, and the very rows on screen — all pages of them — exported to CSV or XLSX
(``?export=xlsx``). A view declares its columns once; the page's header, the sort and the export
all read them.

Lists read from the database are paged by key (``?apres=`` / ``?avant=``: the sort values of the
last or first row shown, signed): the next page costs the same on the first page and the
thousandth, where ``OFFSET`` reads and throws away every row before it. The count above the list
stops at ``COUNT_CAP`` (« 10 000 ou plus »), so that it too costs the same on any desk."""

from __future__ import annotations

import csv
import datetime
import functools
import io
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import F, Model, OrderBy, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ancrage.core.signals import list_read

SORT_PARAM = "tri"
EXPORT_PARAM = "export"
AFTER_PARAM = "apres"  # the page after the row of this key
BEFORE_PARAM = "avant"  # the page before the row of this key
PAGE_PARAM = "page"  # lists computed in Python: the page number
# What an address keeps of a list when it sorts, filters or exports it: not its position.
POSITION_PARAMS = (PAGE_PARAM, AFTER_PARAM, BEFORE_PARAM)
COUNT_CAP = 10_000
_KEY_SALT = "ancrage.listing.keyset"
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
    # Empty cells last whatever the direction, on every database (PostgreSQL puts NULL last
    # going up and first going down, SQLite the reverse): the key pages below rely on one order.
    terms = (_nulls_last(queryset.model, f) for f in fields)
    return queryset.order_by(*terms, "-pk" if descending else "pk"), wanted


def _nulls_last(model: Any, field: str) -> OrderBy | str:
    name = field.removeprefix("-")
    if not _nullable(model, name):
        return field  # as it is: an index in that order still serves it
    return F(name).desc(nulls_last=True) if field.startswith("-") else F(name).asc(nulls_last=True)


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
        params = without_position(request)
        params.pop(EXPORT_PARAM, None)
        params[SORT_PARAM] = target
        result.append(Header(column.label, f"?{params.urlencode()}", state, column.numeric))
    return result


def without_position(request: HttpRequest) -> Any:
    """The address's parameters (a ``QueryDict``) without the page: what a link that sorts,
    filters or exports the list keeps."""
    params = request.GET.copy()
    for name in POSITION_PARAMS:
        params.pop(name, None)
    return params


@dataclass
class Page:
    """One page of a list as the templates draw it: its rows, how many rows the list holds (up to
    ``COUNT_CAP``: ``capped`` says there are more) and the addresses' parameters of the first,
    previous and next pages (``None`` where there is none)."""

    object_list: list[Any]
    count: int
    capped: bool
    first_query: str | None
    previous_query: str | None
    next_query: str | None

    @property
    def has_previous(self) -> bool:
        return self.previous_query is not None

    @property
    def has_next(self) -> bool:
        return self.next_query is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next


def paginate(
    request: HttpRequest, rows: QuerySet | Sequence[Any], *, size: int = PAGE_SIZE
) -> Page:
    """The page of ``rows`` the address asks for: by key for an ordered queryset (``?apres=``,
    ``?avant=``), by number for rows computed in Python (``?page=``). A key that does not read
    (edited by hand, from another sort) gives the first page, as a page number out of range does."""
    params = without_position(request)
    if isinstance(rows, QuerySet):
        return _key_page(
            rows, params, request.GET.get(AFTER_PARAM), request.GET.get(BEFORE_PARAM), size
        )
    numbered = Paginator(rows, size).get_page(request.GET.get(PAGE_PARAM))
    return Page(
        object_list=list(numbered.object_list),
        count=numbered.paginator.count,
        capped=False,
        first_query=_query(params, PAGE_PARAM, "1") if numbered.has_previous() else None,
        previous_query=(
            _query(params, PAGE_PARAM, str(numbered.previous_page_number()))
            if numbered.has_previous()
            else None
        ),
        next_query=(
            _query(params, PAGE_PARAM, str(numbered.next_page_number()))
            if numbered.has_next()
            else None
        ),
    )


def _query(params: Any, name: str, value: str) -> str:
    params = params.copy()
    params[name] = value
    return params.urlencode()


@dataclass(frozen=True)
class _Key:
    """One term of a list's order: a field (or a path through relations), its direction, and
    whether it can be empty (empty ones come last either way)."""

    field: str
    descending: bool
    nullable: bool


def _keys(queryset: QuerySet) -> list[_Key]:
    keys = []
    for term in queryset.query.order_by:
        if isinstance(term, str):
            field, descending = term.removeprefix("-"), term.startswith("-")
        elif isinstance(term, OrderBy) and isinstance(term.expression, F):
            field, descending = str(term.expression.name), term.descending  # type: ignore[attr-defined]
        else:
            raise TypeError(f"a key page needs fields to order by, not {term!r}")
        keys.append(_Key(field, descending, _nullable(queryset.model, field)))
    if not keys or keys[-1].field not in ("pk", "id"):
        raise TypeError("a key page needs the primary key last in the order")
    return keys


def _nullable(model: Any, path: str) -> bool:
    """Whether ``path`` (``person__last_name``) can read as NULL: a nullable field or relation on
    the way. An annotation or anything not a field may be."""
    if path in ("pk", "id"):
        return False
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return True
        if field.null or field.many_to_many or field.one_to_many:
            return True
        model = field.related_model if field.is_relation else None
        if model is None:
            break
    return False


def _after(keys: Sequence[_Key], values: Sequence[Any], *, backward: bool) -> Q:
    """The rows that come after ``values`` in the order of ``keys`` (before them, ``backward``):
    for each key, the rows equal on the keys before it and beyond it on this one."""
    alternatives = []
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        beyond = _beyond(key, value, backward=backward)
        if beyond is not None:
            alternatives.append(equal & beyond)
        equal &= Q(**{f"{key.field}__isnull": True}) if value is None else Q(**{key.field: value})
    if not alternatives:
        return Q(pk__in=[])
    found = functools.reduce(operator.or_, alternatives)
    first, value = keys[0], values[0]
    if not first.nullable and value is not None:
        # The same rows, with the first key's bound on its own: an index in the list's order
        # starts there instead of reading every row before it.
        lookup = "lte" if first.descending != backward else "gte"
        found &= Q(**{f"{first.field}__{lookup}": value})
    return found


def _beyond(key: _Key, value: Any, *, backward: bool) -> Q | None:
    """The rows strictly beyond ``value`` on one key, empty cells coming last (None: none)."""
    if value is None:
        # Nothing comes after an empty cell; everything not empty comes before it.
        return Q(**{f"{key.field}__isnull": False}) if backward else None
    lookup = "lt" if key.descending != backward else "gt"
    beyond = Q(**{f"{key.field}__{lookup}": value})
    if key.nullable and not backward:
        beyond |= Q(**{f"{key.field}__isnull": True})
    return beyond


def _reverse(key: _Key) -> OrderBy | str:
    # The order read backwards: empty cells first.
    if not key.nullable:
        return key.field if key.descending else f"-{key.field}"
    return (
        F(key.field).asc(nulls_first=True)
        if key.descending
        else F(key.field).desc(nulls_first=True)
    )


@dataclass
class KeyRows:
    """One page of an ordered queryset read by key: its rows, and the keys of the pages before and
    after it (None where there is none)."""

    rows: list[Any]
    previous_key: str | None
    next_key: str | None


def can_page_by_key(queryset: Any) -> bool:
    """Whether ``key_rows`` can page ``queryset``: ordered by fields, its primary key last."""
    if not isinstance(queryset, QuerySet):
        return False
    try:
        _keys(queryset)
    except TypeError:
        return False
    return True


def key_rows(
    queryset: QuerySet, *, after: str | None = None, before: str | None = None, size: int
) -> KeyRows:
    """The ``size`` rows after the row of the key ``after`` (or before the row of ``before``), in
    the queryset's order; the first page when there is no key or it does not read (altered, from
    another order, past the end of the list)."""
    keys = _keys(queryset)
    fields = [f"{'-' if k.descending else ''}{k.field}" for k in keys]
    backward = before is not None and after is None
    values = _read_key(before if backward else after, fields)
    rows: list[Any] = []
    if values is not None and backward:
        found = list(
            queryset.filter(_after(keys, values, backward=True)).order_by(*map(_reverse, keys))[
                : size + 1
            ]
        )
        more_before = len(found) > size
        rows = found[:size][::-1]
        more_after = True
    elif values is not None:
        found = list(queryset.filter(_after(keys, values, backward=False))[: size + 1])
        rows, more_after, more_before = found[:size], len(found) > size, True
    if not rows:
        found = list(queryset[: size + 1])
        rows, more_after, more_before = found[:size], len(found) > size, False

    def key_of(row: Any) -> str:
        return _write_key([_value(row, key.field) for key in keys], fields)

    return KeyRows(
        rows=rows,
        previous_key=key_of(rows[0]) if more_before else None,
        next_key=key_of(rows[-1]) if more_after else None,
    )


def _key_page(
    queryset: QuerySet, params: Any, after: str | None, before: str | None, size: int
) -> Page:
    found = key_rows(queryset, after=after, before=before, size=size)
    count = queryset.order_by()[: COUNT_CAP + 1].count()
    return Page(
        object_list=found.rows,
        count=min(count, COUNT_CAP),
        capped=count > COUNT_CAP,
        first_query=params.urlencode() if found.previous_key else None,
        previous_query=(
            _query(params, BEFORE_PARAM, found.previous_key) if found.previous_key else None
        ),
        next_query=_query(params, AFTER_PARAM, found.next_key) if found.next_key else None,
    )


def _value(row: Any, path: str) -> Any:
    """The sort value of a row shown, read from the row (its relations loaded with it)."""
    value = row
    for name in path.split("__"):
        value = getattr(value, name)
        if value is None:
            return None
    return value.pk if isinstance(value, Model) else value


def _write_key(values: Sequence[Any], fields: Sequence[str]) -> str:
    return signing.dumps({"o": list(fields), "v": [_tagged(v) for v in values]}, salt=_KEY_SALT)


def _read_key(raw: str | None, fields: Sequence[str]) -> list[Any] | None:
    """The sort values a key holds, or None when there is no key, it was altered or it belongs
    to another order."""
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=_KEY_SALT)
        if data["o"] != list(fields) or len(data["v"]) != len(fields):
            return None
        return [_untagged(v) for v in data["v"]]
    except (signing.BadSignature, ArithmeticError, KeyError, TypeError, ValueError):
        return None


def _tagged(value: Any) -> Any:
    # JSON keeps text, whole numbers, booleans and null; the others travel as text, tagged.
    if isinstance(value, datetime.datetime):
        return ["t", value.isoformat()]
    if isinstance(value, datetime.date):
        return ["d", value.isoformat()]
    if isinstance(value, Decimal):
        return ["n", str(value)]
    if isinstance(value, float):
        return ["f", repr(value)]
    return value


_UNTAG: dict[str, Callable[[str], Any]] = {
    "t": datetime.datetime.fromisoformat,
    "d": datetime.date.fromisoformat,
    "n": Decimal,
    "f": float,
}


def _untagged(value: Any) -> Any:
    if isinstance(value, list):
        tag, text = value
        return _UNTAG[tag](text)
    return value


def export_links(request: HttpRequest) -> dict[str, str]:
    """The addresses of the exports of the list as filtered and sorted on screen."""
    links = {}
    for fmt in FORMATS:
        params = without_position(request)
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
    page = paginate(request, rows, size=page_size)
    if model is not None:
        shown = page.object_list
        read = [record(r) for r in shown] if record else shown
        _report(request, model, read, organization_of, how="liste")
    return render(
        request,
        template,
        {
            **(context or {}),
            "page": page,
            "headers": headers(request, columns, sorted_by),
            "exports": export_links(request),
            "querystring": without_position(request).urlencode(),
            "sorted_by": sorted_by,
        },
        status=200 if valid else 400,
    )

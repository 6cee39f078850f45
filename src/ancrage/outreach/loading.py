"""Loading a landlord's extract, set-based: the file goes into a staging table (PostgreSQL's COPY
for a well-formed CSV; otherwise read line by line in Python), every check runs as SQL on it, and
the valid lines reach the targets in one ``INSERT … ON CONFLICT DO UPDATE`` that writes only what
changed. The same SQL runs on PostgreSQL and SQLite (``columns.Dialect`` spells the difference).

The caller holds the transaction: a dry run, or an all-or-nothing import with a refused line, is
rolled back there, so nothing of it remains."""

from __future__ import annotations

import csv
import datetime
import io
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from ancrage.core.enums import ImportMode
from ancrage.core.tabular import ReadError, decode_csv, is_workbook, read, sniff_dialect
from ancrage.outreach import columns as cols
from ancrage.outreach.enums import ProspectStatus

logger = logging.getLogger(__name__)

STAGING = "outreach_staging"
DUPLICATES = "outreach_staging_duplicates"
REFUSED = "outreach_staging_refused"
MAX_PROBLEMS = 5000  # kept in the report; the count of refused lines says how many in all
BATCH = 10_000
CHUNK = 1 << 20
Progress = Callable[[int], None]  # percent done
CONTROL = re.compile(cols.CONTROL)


@dataclass
class Outcome:
    total_lines: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)
    written: bool = False


@dataclass
class Source:
    """A file ready to stage: its headers, and either its raw CSV bytes (COPY) or its rows."""

    headers: list[str]
    rows: Callable[[], Iterator[tuple[int, list[str]]]]
    csv_bytes: bytes = b""
    encoding: str = "UTF8"
    delimiter: str = ";"
    quotechar: str = '"'
    estimated_lines: int = 0
    control_characters: bool = True  # whether any cell may hold one (checked line by line then)


def source_of(data: bytes, filename: str, *, max_bytes: int) -> Source:
    """The headers and rows of a CSV or of the first sheet of a workbook (``ReadError`` when the
    file cannot be read at all)."""
    if len(data) > max_bytes:
        raise ReadError(
            _("Le fichier dépasse %(size)s Mo : découpez-le par territoire.")
            % {"size": max_bytes // (1024 * 1024)}
        )
    if not data.strip():
        raise ReadError(_("Le fichier est vide."))
    if is_workbook(data, filename):
        table = read(data, filename, max_bytes=max_bytes)[0]
        cells_of = [(line, [_cell(cell) for cell in cells]) for line, cells in table.rows]
        return Source(
            headers=table.headers,
            rows=lambda: iter(cells_of),
            estimated_lines=len(cells_of),
            control_characters=any(
                CONTROL.search(cell) for _line, cells in cells_of for cell in cells
            ),
        )
    text = decode_csv(data)
    dialect = sniff_dialect(text)
    reader = csv.reader(io.StringIO(text[: 64 * 1024], newline=""), dialect)
    try:
        headers = next(reader, [])
    except csv.Error as exc:
        raise ReadError(_("CSV mal formé : %(error)s.") % {"error": exc}) from None
    if not any(header.strip() for header in headers):
        raise ReadError(_("La première ligne doit donner le nom des colonnes."))
    if len(headers) > 200:
        raise ReadError(_("Plus de 200 colonnes : est-ce le bon fichier ?"))

    def rows() -> Iterator[tuple[int, list[str]]]:
        lines = csv.reader(io.StringIO(text, newline=""), dialect)
        try:
            next(lines, None)
            for cells in lines:
                if any(cell.strip() for cell in cells):
                    yield lines.line_num, cells
        except csv.Error as exc:
            raise ReadError(
                _("CSV mal formé ligne %(line)s : %(error)s.")
                % {"line": lines.line_num, "error": exc}
            ) from None

    utf8 = _is_utf8(data)
    raw = data.removeprefix(b"\xef\xbb\xbf") if utf8 else data
    return Source(
        headers=[header.strip() for header in headers],
        rows=rows,
        csv_bytes=raw,
        encoding="UTF8" if utf8 else "WIN1252",
        delimiter=dialect.delimiter,
        quotechar=dialect.quotechar or '"',
        estimated_lines=max(text.count("\n") - 1, 0),
        control_characters=CONTROL.search(text) is not None,
    )


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _stage(source: Source, progress: Progress | None) -> int:
    """Fill the staging table; returns its number of lines."""
    width = len(source.headers)
    names = ", ".join(f"c{i}" for i in range(width))
    definitions = ", ".join(f"c{i} TEXT" for i in range(width))
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
        # On PostgreSQL, COPY numbers the lines: the first after the header is line 2.
        line_type = (
            "INTEGER GENERATED BY DEFAULT AS IDENTITY (START WITH 2)" if postgres else "INTEGER"
        )
        cursor.execute(f"CREATE TEMP TABLE {STAGING} (line {line_type}, {definitions})")
        if postgres and source.csv_bytes:
            import psycopg  # COPY runs outside Django's error wrapping

            try:
                with transaction.atomic():
                    _copy_csv(cursor, source, names, progress)
                    cursor.execute(f"SELECT COUNT(*) FROM {STAGING}")
                    return int(cursor.fetchone()[0])
            except (DatabaseError, psycopg.Error, ValueError) as error:
                # A ragged line, a blank line, a stray quote: read it line by line instead,
                # which reports such lines one by one.
                logger.info("outreach COPY fell back", extra={"error": type(error).__name__})
        return _insert_rows(cursor, source, width, names, postgres, progress)


def _copy_csv(cursor, source: Source, names: str, progress: Progress | None) -> None:
    options = (
        f"FORMAT csv, HEADER true, DELIMITER {cols.quote(source.delimiter)}, "
        f"QUOTE {cols.quote(source.quotechar)}, ENCODING {cols.quote(source.encoding)}"
    )
    data = source.csv_bytes
    with cursor.copy(f"COPY {STAGING} ({names}) FROM STDIN ({options})") as copy:
        for start in range(0, len(data), CHUNK):
            copy.write(data[start : start + CHUNK])
            if progress:
                progress(int(40 * min(start + CHUNK, len(data)) / len(data)))


def _insert_rows(
    cursor, source: Source, width: int, names: str, postgres: bool, progress: Progress | None
) -> int:
    total = 0
    expected = max(source.estimated_lines, 1)

    def fitted() -> Iterator[list[Any]]:
        nonlocal total
        for line, cells in source.rows():
            total += 1
            cells = (cells + [""] * width)[:width]
            if progress and total % BATCH == 0:
                progress(min(int(40 * total / expected), 40))
            yield [line, *cells]

    if postgres:
        with cursor.copy(f"COPY {STAGING} (line, {names}) FROM STDIN") as copy:
            for row in fitted():
                copy.write_row(row)
        return total
    placeholders = ", ".join(["%s"] * (width + 1))
    sql = f"INSERT INTO {STAGING} (line, {names}) VALUES ({placeholders})"
    batch: list[list[Any]] = []
    for row in fitted():
        batch.append(row)
        if len(batch) >= BATCH:
            cursor.executemany(sql, batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)
    return total


def load(
    *,
    outreach_list_id: int,
    landlord_id: int,
    source: Source,
    mapping: dict[str, str],
    mode: str,
    today: datetime.date,
    progress: Progress | None = None,
) -> Outcome:
    """Stage, check and write one extract (the caller's transaction decides what stays)."""
    outcome = Outcome()
    index, missing = cols.locate(source.headers, mapping)
    if missing:
        outcome.total_lines = source.estimated_lines
        outcome.counts = {"refused": source.estimated_lines}
        outcome.problems = [
            {
                "line": 1,
                "column": mapping.get(column.key) or column.key,
                "message": _("Colonne obligatoire absente : « %(name)s ».")
                % {"name": mapping.get(column.key) or column.key},
            }
            for column in missing
        ]
        return outcome
    try:
        outcome.total_lines = _stage(source, progress)
        with connection.cursor() as cursor:
            _check_and_write(
                cursor, source, index, mode, outreach_list_id, landlord_id, today, outcome, progress
            )
    finally:
        with connection.cursor() as cursor:
            for table in (REFUSED, DUPLICATES, STAGING):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
    return outcome


def _check_and_write(
    cursor, source, index, mode, outreach_list_id, landlord_id, today, outcome, progress
) -> None:
    dialect = cols.Dialect(connection.vendor)
    located = [(cols.BY_KEY[key], f"s.x{i}") for key, i in index.items()]
    raw_reference = f"NULLIF(TRIM(st.c{index['reference']}), '')"
    if connection.vendor == "sqlite":
        # Who left the file is an anti-join on the reference: PostgreSQL hashes it, SQLite
        # needs the index.
        cursor.execute(
            f"CREATE INDEX {STAGING}_ref ON {STAGING} (NULLIF(TRIM(c{index['reference']}), ''))"
        )
    cursor.execute(
        f"CREATE TEMP TABLE {DUPLICATES} AS SELECT {raw_reference} AS ref, "
        f"MIN(st.line) AS first_line FROM {STAGING} st GROUP BY {raw_reference} "
        f"HAVING COUNT(*) > 1"
    )
    if connection.vendor == "postgresql":
        # Temporary tables have no statistics until asked: without them the planner expects
        # one line and joins the communes row by row. Compiling the long check expressions
        # (JIT) costs more than it saves on a million lines (measured: 13.5 s → 11.5 s).
        cursor.execute(f"ANALYZE {STAGING}")
        cursor.execute(f"ANALYZE {DUPLICATES}")
        cursor.execute("SET LOCAL jit = off")
    # Each cell trimmed once, the commune and the doubled references joined once (hash joins
    # on a million lines): the checks and values then read ``s.x<i>``, ``s.commune_id`` and
    # ``s.duplicate_of``. PostgreSQL is kept from inlining the subquery (``OFFSET 0``), which
    # would trim again at each use and plan the joins after the checks.
    trimmed = ", ".join(f"NULLIF(TRIM(st.c{i}), '') AS x{i}" for i in index.values())
    commune = f"NULLIF(TRIM(st.c{index['commune']}), '')"
    fence = "OFFSET 0" if connection.vendor == "postgresql" else ""
    staged = (
        f"(SELECT st.line, {trimmed}, ct.id AS commune_id, d.first_line AS duplicate_of "
        f"FROM {STAGING} st "
        f"LEFT JOIN core_territory ct ON ct.kind = 'commune' AND ct.code = {commune} "
        f"LEFT JOIN {DUPLICATES} d ON d.ref = NULLIF(TRIM(st.c{index['reference']}), '') "
        f"AND d.first_line < st.line {fence}) s"
    )
    # A blank cell makes most conditions NULL: NULL is « not refused ».
    conditions = [
        (column, f"COALESCE(({condition}), FALSE)", message)
        for column, x in located
        for condition, message in cols.checks(
            column, x, dialect, control_characters=source.control_characters
        )
    ]
    conditions.append(
        (
            cols.BY_KEY["reference"],
            "s.duplicate_of IS NOT NULL",
            _("Référence en double dans le fichier : seule sa première ligne est prise."),
        )
    )
    bad = " OR ".join(f"({condition})" for _c, condition, _m in conditions)
    cursor.execute(
        "SELECT COUNT(*) FROM outreach_prospect WHERE outreach_list_id = %s AND landlord_id = %s",
        (outreach_list_id, landlord_id),
    )
    before = int(cursor.fetchone()[0])
    write = Write(
        staged=staged,
        located=located,
        scope=(outreach_list_id, landlord_id),
        before=before,
        today=today,
        dialect=dialect,
    )
    outcome.counts = {"created": 0, "updated": 0, "unchanged": 0, "refused": 0, "left": 0}
    if not before:
        # A landlord's first file, in one pass: every valid line is new, so the lines not
        # inserted are the refused ones; only when there are some are they looked at again.
        savepoint = transaction.savepoint()
        inserted = write.insert(cursor, f"NOT ({bad})")
        refused = outcome.total_lines - inserted
        if refused:
            _explain(cursor, staged, bad, conditions, source, index, outcome)
            if mode == ImportMode.ALL_OR_NOTHING:
                transaction.savepoint_rollback(savepoint)
                outcome.counts["refused"] = refused
                return
        transaction.savepoint_commit(savepoint)
        outcome.counts.update(created=inserted, refused=refused)
        outcome.written = True
        return
    refused = _explain(cursor, staged, bad, conditions, source, index, outcome)
    outcome.counts["refused"] = refused
    if progress:
        progress(60)
    if refused and mode == ImportMode.ALL_OR_NOTHING:
        return
    if connection.vendor == "postgresql":
        # The targets just written have no statistics yet: a planner expecting one row would
        # compare each line of the file to every target (measured: 12 min for 1 M lines).
        # Both sides are large, so they are hashed.
        cursor.execute("SET LOCAL enable_nestloop = off")
    written = write.insert(
        cursor, f"NOT EXISTS (SELECT 1 FROM {REFUSED} r WHERE r.line = s.line)" if refused else ""
    )
    cursor.execute(
        "SELECT COUNT(*) FROM outreach_prospect WHERE outreach_list_id = %s AND landlord_id = %s",
        (outreach_list_id, landlord_id),
    )
    created = int(cursor.fetchone()[0]) - before
    cursor.execute(
        f"UPDATE outreach_prospect SET left_file_on = %s WHERE outreach_list_id = %s "
        f"AND landlord_id = %s AND left_file_on IS NULL AND NOT EXISTS "
        f"(SELECT 1 FROM {STAGING} st WHERE {raw_reference} = outreach_prospect.tenant_ref)",
        (today, outreach_list_id, landlord_id),
    )
    left = cursor.rowcount
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL enable_nestloop = on")
    outcome.counts.update(
        left=left,
        created=created,
        updated=written - created,
        unchanged=outcome.total_lines - refused - written,
    )
    outcome.written = True
    if progress:
        progress(95)


def _explain(cursor, staged, bad, conditions, source, index, outcome) -> int:
    """Keep the refused lines aside (every check runs once on every line) and say why for the
    first of them; returns how many there are."""
    cursor.execute(f"CREATE TEMP TABLE {REFUSED} AS SELECT s.line FROM {staged} WHERE {bad}")
    cursor.execute(f"SELECT COUNT(*) FROM {REFUSED}")
    refused = int(cursor.fetchone()[0])
    if not refused:
        return 0
    flags = ", ".join(
        f"CASE WHEN {condition} THEN 1 ELSE 0 END" for _c, condition, _m in conditions
    )
    cursor.execute(
        f"SELECT s.line, {flags} FROM {staged} WHERE s.line IN "
        f"(SELECT line FROM {REFUSED} ORDER BY line LIMIT {MAX_PROBLEMS}) ORDER BY s.line"
    )
    for row in cursor.fetchall():
        for (column, _condition, message), flag in zip(conditions, row[1:], strict=True):
            if flag:
                outcome.problems.append(
                    {
                        "line": int(row[0]),
                        "column": source.headers[index[column.key]],
                        "message": message,
                    }
                )
    return refused


@dataclass
class Write:
    """The set-based write of the valid lines into the targets."""

    staged: str
    located: list[tuple[cols.Column, str]]
    scope: tuple[int, int]
    before: int
    today: datetime.date
    dialect: cols.Dialect

    def insert(self, cursor, condition: str) -> int:
        """Insert the new lines and, when the landlord's targets exist already, update the
        changed ones (a line equal to its target is left out before the upsert): returns the
        rows written."""
        fields = [column.field for column, _x in self.located]
        values = [cols.value(column, x, self.dialect) for column, x in self.located]
        # Columns the file does not have: blank on a new target, left as they are on an update.
        present = {column.key for column, _x in self.located}
        for column in cols.COLUMNS:
            if column.key not in present:
                fields.append(column.field)
                values.append("''" if column.kind in ("ref", "text", "phone") else "NULL")
        updated = [
            (column.field, value)
            for (column, _x), value in zip(self.located, values, strict=False)
            if column.field != "tenant_ref"
        ]
        where = [condition] if condition else []
        params: tuple = (*self.scope, ProspectStatus.TO_CONTACT, self.today, self.today)
        reference = next(x for column, x in self.located if column.key == "reference")
        if self.before:
            same = " AND ".join(
                f"NOT {self.dialect.differs(f'p.{name}', value)}" for name, value in updated
            )
            where.append(
                f"NOT EXISTS (SELECT 1 FROM outreach_prospect p WHERE p.outreach_list_id = %s "
                f"AND p.landlord_id = %s AND p.tenant_ref = {reference} AND p.left_file_on IS NULL"
                f"{' AND ' + same if same else ''})"
            )
            params = (*params, *self.scope)
        sql = (
            f"INSERT INTO outreach_prospect (outreach_list_id, landlord_id, {', '.join(fields)}, "
            f"score, status, first_seen_on, active_on, left_file_on) "
            f"SELECT %s, %s, {', '.join(values)}, 0, %s, %s, %s, NULL "
            f"FROM {self.staged} WHERE {' AND '.join(where) or 'TRUE'}"
        )
        if self.before:
            changed = " OR ".join(
                self.dialect.differs(f"outreach_prospect.{name}", f"excluded.{name}")
                for name, _v in updated
            )
            assignments = ", ".join(f"{name} = excluded.{name}" for name, _v in updated)
            sql += (
                f" ON CONFLICT (outreach_list_id, landlord_id, tenant_ref) DO UPDATE SET "
                f"{assignments}, active_on = excluded.active_on, left_file_on = NULL "
                f"WHERE outreach_prospect.status <> %s AND ({changed} "
                f"OR outreach_prospect.left_file_on IS NOT NULL)"
            )
            params = (*params, ProspectStatus.DO_NOT_CONTACT)
        # The first file of a landlord is a plain insert (the same file sent twice at once
        # fails on the unique constraint, and its job says so).
        cursor.execute(sql, params)
        return int(cursor.rowcount)

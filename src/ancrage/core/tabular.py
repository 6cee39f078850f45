"""Reading an uploaded spreadsheet into tables: one per sheet of an XLSX workbook, or the single
table of a CSV (UTF-8 or Windows-1252, ``;``, ``,`` or tab). The past-records import and the
landlords' files of the outreach app read through here. Every refusal is a French message for the
person who sent the file, never a stack trace."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_COLUMNS = 60
MAX_CELL = 2000


class ReadError(Exception):
    """The file cannot be read at all (not a CSV, not a workbook, too big…)."""


@dataclass
class Table:
    """A sheet: its name, its headers (as written), and its rows with their line numbers."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    from_csv: bool = False


def read(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> list[Table]:
    if len(data) > max_bytes:
        raise ReadError(
            _(
                "Le fichier dépasse %(size)s Mo : découpez-le (par exemple par territoire ou par année)."
            )
            % {"size": max_bytes // (1024 * 1024)}
        )
    if not data.strip():
        raise ReadError(_("Le fichier est vide."))
    if is_workbook(data, filename):
        return _read_xlsx(data)
    return [_read_csv(data, filename)]


def is_workbook(data: bytes, filename: str) -> bool:
    return filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"


def decode(data: bytes) -> str:
    """UTF-8 (with or without its mark), else Windows-1252: what French spreadsheets write."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ReadError(
            _("Encodage illisible : enregistrez le fichier en CSV UTF-8 depuis votre tableur.")
        ) from None


def decode_csv(data: bytes) -> str:
    """The text of a CSV file; a binary file (an image, a zip, random bytes) is refused."""
    if b"\x00" in data[:4096]:
        raise ReadError(_("Ce fichier n'est pas un CSV (contenu binaire)."))
    return decode(data)


def sniff_dialect(text: str) -> Any:
    """The CSV dialect of ``text`` (its delimiter among ``;``, ``,`` and tab), from its start."""
    sample = text[:4096]
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:

        class Guessed(csv.excel):
            delimiter = ";" if sample.count(";") >= sample.count(",") else ","

        return Guessed


def _read_csv(data: bytes, filename: str) -> Table:
    text = decode_csv(data)
    dialect = sniff_dialect(text)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        lines = list(reader)
    except csv.Error as exc:
        raise ReadError(_("CSV mal formé : %(error)s.") % {"error": exc}) from None
    table = _table(filename.rsplit("/", 1)[-1].rsplit(".", 1)[0], lines, first_line=1)
    table.from_csv = True
    return table


def _read_xlsx(data: bytes) -> list[Table]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ReadError(
            _("Classeur illisible : enregistrez-le au format Excel (.xlsx) ou en CSV.")
        ) from None
    tables = []
    try:
        for sheet in workbook.worksheets:
            lines = [list(row) for row in sheet.iter_rows(values_only=True)]
            if any(any(cell not in (None, "") for cell in line) for line in lines):
                tables.append(_table(sheet.title, lines, first_line=1))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ReadError(_("Classeur illisible : une feuille est endommagée.")) from None
    finally:
        workbook.close()
    if not tables:
        raise ReadError(_("Le classeur ne contient aucune feuille remplie."))
    return tables


def _table(name: str, lines: list[list[Any]], *, first_line: int) -> Table:
    # Leading blank lines are skipped: the first filled line holds the headers.
    while lines and not any(_filled(cell) for cell in lines[0]):
        lines.pop(0)
        first_line += 1
    if not lines:
        raise ReadError(_("La feuille « %(name)s » est vide.") % {"name": name})
    headers = [_text(cell) for cell in lines[0]]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise ReadError(
            _("La feuille « %(name)s » a plus de %(max)s colonnes : est-ce le bon fichier ?")
            % {"name": name, "max": MAX_COLUMNS}
        )
    table = Table(name=name, headers=headers)
    for offset, line in enumerate(lines[1:], start=1):
        if not any(_filled(cell) for cell in line):
            continue
        table.rows.append((first_line + offset, list(line[: len(headers)])))
    return table


def _filled(cell: Any) -> bool:
    return cell is not None and str(cell).strip() != ""


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime | datetime.date):
        return cell.isoformat()
    return str(cell).strip()

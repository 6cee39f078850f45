"""Facts of an indicator as NumPy arrays (``Packed``): what the refresh counts set-based, and what
a month keeps of its distinct counts (``MonthFacts``) so that its year counts them again without the
raw rows.
"""

from __future__ import annotations

import datetime
import hashlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ancrage.indicators.definitions import Fact


# The version of ``stable_key`` and of the stored format: months stored with another are read
# again from the raw rows, never joined.
KEY_SCHEME = 3


def stable_key(key: str) -> int:
    """A person's (or an organization's) key as a 64-bit integer, the same in every process and
    every month, so that months counted at different times can be put together: a pseudonym (32 hex
    digits of a keyed hash) gives its first 16 digits, any other key a BLAKE2 digest. Two keys
    sharing an integer would count once: with a million people, about one chance in 30 million."""
    if len(key) == 32:
        try:
            return int(key[:16], 16) - (1 << 63)
        except ValueError:
            pass
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def month_number(month: datetime.date) -> int:
    return month.year * 12 + month.month - 1


def month_of_number(number: int) -> datetime.date:
    return datetime.date(number // 12, number % 12 + 1, 1)


@dataclass
class Packed:
    """Facts of a distinct count as NumPy arrays, one position per fact: its month, organization,
    program (-1: the organization's running programs), key (``stable_key``) and categories (indexes
    into ``vocabulary``, whose first entry is the total's empty category; -1: none)."""

    months: Any
    organizations: Any
    programs: Any
    keys: Any
    slots: Any  # shape (categories per fact at most, facts)
    vocabulary: list[str]
    amounts: Any = None  # totals only (floats), not stored
    denominators: Any = None

    def __len__(self) -> int:
        return len(self.keys)

    @classmethod
    def of(cls, facts: Iterable[Fact]) -> Packed:
        import numpy as np

        vocabulary: dict[str, int] = {"": 0}
        keys: dict[str | None, int] = {}
        months, organizations, programs, key_of = array("l"), array("l"), array("l"), array("q")
        amounts, denominators = array("d"), array("d")
        slots: list[array] = []
        for fact in facts:
            amounts.append(fact.amount)
            denominators.append(fact.denominator or 0.0)
            months.append(month_number(fact.month))
            organizations.append(fact.organization)
            programs.append(-1 if fact.program is None else fact.program)
            key = keys.get(fact.key)
            if key is None:
                key = keys[fact.key] = 0 if fact.key is None else stable_key(fact.key)
            key_of.append(key)
            for index, category in enumerate(fact.categories):
                if index == len(slots):
                    slots.append(array("l", [-1]) * (len(key_of) - 1))
                slots[index].append(vocabulary.setdefault(category, len(vocabulary)))
            for index in range(len(fact.categories), len(slots)):
                slots[index].append(-1)
        return cls(
            np.array(months, dtype=np.int32),
            np.array(organizations, dtype=np.int32),
            np.array(programs, dtype=np.int32),
            np.array(key_of, dtype=np.int64),
            np.array([np.array(slot, dtype=np.int32) for slot in slots], dtype=np.int32).reshape(
                len(slots), len(key_of)
            ),
            list(vocabulary),
            np.array(amounts, dtype=np.float64),
            np.array(denominators, dtype=np.float64),
        )

    @classmethod
    def concatenate(cls, packs: list[Packed]) -> Packed:
        """Several months' facts as one, their categories renumbered into one vocabulary."""
        import numpy as np

        vocabulary: dict[str, int] = {"": 0}
        width = max((len(p.slots) for p in packs), default=0)
        slots = []
        for pack in packs:
            codes = np.array(
                [vocabulary.setdefault(name, len(vocabulary)) for name in pack.vocabulary],
                dtype=np.int32,
            )
            renumbered = np.full((width, len(pack)), -1, dtype=np.int32)
            present = pack.slots >= 0
            renumbered[: len(pack.slots)][present] = codes[pack.slots[present]]
            slots.append(renumbered)
        return cls(
            np.concatenate([p.months for p in packs] or [np.zeros(0, np.int32)]),
            np.concatenate([p.organizations for p in packs] or [np.zeros(0, np.int32)]),
            np.concatenate([p.programs for p in packs] or [np.zeros(0, np.int32)]),
            np.concatenate([p.keys for p in packs] or [np.zeros(0, np.int64)]),
            np.concatenate(slots, axis=1) if slots else np.zeros((0, 0), np.int32),
            list(vocabulary),
        )

    def take(self, positions) -> Packed:
        """The facts at ``positions`` (same vocabulary)."""
        return Packed(
            self.months[positions],
            self.organizations[positions],
            self.programs[positions],
            self.keys[positions],
            self.slots[:, positions],
            self.vocabulary,
        )

    def to_bytes(self) -> bytes:
        """The arrays one after the other, after their two sizes (facts, categories per fact),
        little-endian: read back without copying (``numpy.savez``'s zip cost more than the
        counting itself on small months)."""
        import numpy as np

        header = np.array([len(self), len(self.slots)], dtype="<i8")
        parts = (
            header,
            self.keys.astype("<i8"),
            self.months.astype("<i4"),
            self.organizations.astype("<i4"),
            self.programs.astype("<i4"),
            self.slots.astype("<i4"),
        )
        return b"".join(part.tobytes() for part in parts)

    @classmethod
    def from_bytes(cls, data: bytes | memoryview, vocabulary: list[str]) -> Packed:
        import numpy as np

        buffer = bytes(data)
        count, width = (int(n) for n in np.frombuffer(buffer, dtype="<i8", count=2))
        keys = np.frombuffer(buffer, dtype="<i8", count=count, offset=16)
        columns = np.frombuffer(
            buffer, dtype="<i4", count=(3 + width) * count, offset=16 + 8 * count
        )
        return cls(
            columns[:count],
            columns[count : 2 * count],
            columns[2 * count : 3 * count],
            keys,
            columns[3 * count :].reshape(width, count),
            vocabulary,
        )


_SEND = {"int4": ("int4send", ">i4"), "int8": ("int8send", ">i8")}


def bound_cursor():
    """On PostgreSQL, a cursor of Django's connection (its transaction) whose parameters the server
    binds and whose results may come in binary (``execute(…, binary=True)``): Django's own cursors
    write the parameters into the statement's text and receive every value as text — a national
    month's arrays (tens of megabytes of ``bytea``) then travel as hexadecimal, twice the bytes,
    decoded in Python."""
    import psycopg
    from django.db import connection

    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def plain_rows(queryset) -> list[tuple]:
    """The rows of ``queryset`` (a ``values_list``) as the cursor gives them, in one fetch: no
    Django conversion per value, no batches of 100 — for columns that need no conversion, read by
    the hundred thousand (a national month's figures)."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def read_columns(queryset, columns: dict[str, tuple[str, int]]) -> dict[str, Any]:
    """The rows of ``queryset`` (a ``values_list`` of integer columns, in the order of
    ``columns``) as one NumPy array per column. ``columns``: name → (``"int4"`` or ``"int8"``,
    the value standing for NULL).

    On PostgreSQL the rows come back as one value: each row's columns in binary, fixed width
    (``int4send``), the rows one after the other (``string_agg``), read by NumPy as records — a
    national month's 750,000 enrollments without a Python object per value (read as tuples, or by
    a ``COPY`` that hands over each row apart, they cost more than the query). Elsewhere, from
    the cursor's rows."""
    import numpy as np
    from django.core.exceptions import EmptyResultSet
    from django.db import connection

    names = list(columns)
    dtypes = {name: np.int32 if kind == "int4" else np.int64 for name, (kind, _) in columns.items()}
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (``pk__in=[]``): no query
        return {name: np.zeros(0, dtype=dtypes[name]) for name in names}
    if connection.vendor != "postgresql":
        rows = plain_rows(queryset)
        values = list(zip(*rows, strict=True)) if rows else [()] * len(names)
        return {
            name: np.array([null if v is None else v for v in column], dtype=dtypes[name])
            for (name, (_kind, null)), column in zip(columns.items(), values, strict=True)
        }
    aliases = ", ".join(f"c{i}" for i in range(len(names)))
    record = " || ".join(
        f"{_SEND[kind][0]}(COALESCE(c{i}, {null})::{kind})"
        for i, (kind, null) in enumerate(columns.values())
    )
    with bound_cursor() as cursor:
        cursor.execute(
            f"SELECT string_agg({record}, ''::bytea) FROM ({sql}) AS q({aliases})",  # noqa: S608
            params,
            binary=True,
        )
        data = cursor.fetchone()[0] or b""
    dtype = np.dtype([(f"c{i}", _SEND[kind][1]) for i, (kind, _) in enumerate(columns.values())])
    records = np.frombuffer(data, dtype=dtype)
    return {name: records[f"c{i}"].astype(dtypes[name]) for i, name in enumerate(names)}

"""Refreshing the rollup tables: facts → figures of every scope, for a month and for its year.

A refresh of month M rewrites the figures of M and of M's year, in one transaction, so that a page
never shows a half-refreshed month. Additive indicators (totals, rates and means, kept as numerator
and denominator) get their year by summing the stored months; distinct counts are counted again over
the whole year, so that a person seen in March and in May counts once.
"""

from __future__ import annotations

import contextvars
import datetime
import hashlib
import json
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.db import connection, connections, models, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from ancrage.accounts.models import Organization
from ancrage.indicators.definitions import INDICATORS, Fact, Indicator, shared_reads
from ancrage.indicators.enums import Grain, Kind, Scope
from ancrage.indicators.models import (
    Aggregate,
    MonthFacts,
    Refresh,
    ReportingPeriod,
    StaleMonth,
)
from ancrage.indicators.packing import (
    KEY_SCHEME,
    Packed,
    bound_cursor,
    month_of_number,
    plain_rows,
)
from ancrage.programs.enums import SUPPORTING_ROLES
from ancrage.programs.models import ProgramParticipant

CellKey = tuple[str, int | None, int | None, int | None, str]  # scope, org, program, territory, cat


logger = logging.getLogger(__name__)


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def months_of_year(year: int) -> list[datetime.date]:
    return [datetime.date(year, m, 1) for m in range(1, 13)]


@dataclass
class Context:
    """Where each organization is and which programs it runs: read once per refresh."""

    territories: dict[int, tuple[int, ...]]  # org → its commune, EPCI, département, région
    programs: dict[int, list[tuple[int, datetime.date, datetime.date | None]]]

    @classmethod
    def load(cls) -> Context:
        territories = {}
        rows = Organization.objects.values_list(
            "id",
            "commune_id",
            "commune__epci_id",
            "commune__departement_id",
            "commune__region_id",
        )
        for organization, *places in rows:
            territories[organization] = tuple(p for p in places if p is not None)
        programs: dict[int, list] = defaultdict(list)
        participants = ProgramParticipant.objects.filter(role__in=SUPPORTING_ROLES).values_list(
            "organization_id", "program_id", "program__starts_on", "program__ends_on"
        )
        for organization, program, starts_on, ends_on in participants:
            programs[organization].append((program, starts_on, ends_on))
        return cls(territories, dict(programs))

    def fingerprint(self) -> str:
        """A digest of the programs' calendar: months joined under another calendar (a program
        started or ended since) are joined again."""
        calendar = sorted((o, sorted(p)) for o, p in self.programs.items())
        return hashlib.sha256(repr(calendar).encode()).hexdigest()

    def programs_of(self, fact: Fact) -> tuple[int, ...]:
        if fact.program is not None:
            return (fact.program,)
        month_end = next_month(fact.month) - datetime.timedelta(days=1)
        return tuple(
            program
            for program, starts_on, ends_on in self.programs.get(fact.organization, ())
            if starts_on <= month_end and (ends_on is None or ends_on >= fact.month)
        )


def _targets(organization: int, programs: tuple[int, ...], territories: tuple[int, ...]):
    """The cells one fact counts in (without its category)."""
    cells: list[tuple[Scope, int | None, int | None, int | None]] = [
        (Scope.ORGANIZATION, organization, None, None),
        (Scope.NATIONAL, None, None, None),
    ]
    for territory in territories:
        cells.append((Scope.TERRITORY, None, None, territory))
    for program in programs:
        cells.append((Scope.ORGANIZATION_PROGRAM, organization, program, None))
        cells.append((Scope.PROGRAM, None, program, None))
        for territory in territories:
            cells.append((Scope.PROGRAM_TERRITORY, None, program, territory))
    return cells


def compute(indicator: Indicator, facts: Iterable[Fact], context: Context) -> dict[CellKey, tuple]:
    """Figures of every cell: ``(value, denominator)``; pure, so that it is tested without a database."""
    if indicator.kind == Kind.DISTINCT:
        return _distinct(facts, context)
    return _sum(Packed.of(facts), context, indicator.kind in (Kind.RATE, Kind.MEAN))


def _sum(packed: Packed, context: Context, with_denominator: bool) -> dict[CellKey, tuple]:
    """Totals of every cell, set-based: amounts added per (combination, category) first, then
    spread to the combination's cells."""
    import numpy as np

    if not len(packed):
        return {}
    combo_array, combos = _combinations(packed, context)
    cube = _Cube.of(combos, packed.vocabulary, 1, context)
    category_count = cube.category_count
    slots = [np.zeros(len(packed), dtype=np.int64), *packed.slots]
    codes = np.concatenate(
        [np.where(slot >= 0, combo_array * category_count + slot, -1) for slot in slots]
    )
    present = codes >= 0
    groups, inverse = np.unique(codes[present], return_inverse=True)
    amounts = np.tile(packed.amounts, len(slots))[present]
    denominators = np.tile(packed.denominators, len(slots))[present]
    group_combo, group_category = np.divmod(groups, category_count)
    cells, (values, bottoms) = cube.spread(
        group_combo,
        group_category,
        [np.bincount(inverse, weights=amounts), np.bincount(inverse, weights=denominators)],
    )
    result: dict[CellKey, tuple] = {}
    for code, value, denominator in zip(
        cells.tolist(), values.tolist(), bottoms.tolist(), strict=True
    ):
        target, category = divmod(code, category_count)
        scope, organization, program, territory = cube.targets_by_id[target]
        result[(scope, organization, program, territory, packed.vocabulary[category])] = (
            value,
            denominator if with_denominator else None,
        )
    return result


# Categories kept for an organization's own figures only.
LOCAL_PREFIXES = ("commune:",)


def _unique_sorted(values):
    """Sorted unique integers (a sort beats NumPy's hash-based ``unique`` on these arrays)."""
    import numpy as np  # loaded by the refresh, not by every process that marks a month stale

    values = np.sort(values)
    if len(values) == 0:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def _dense(values):
    """``values`` renumbered 0, 1, 2… in their order (same value, same number): the numbers, how
    many there are, and the values by number. Small non-negative integers (identifiers, months) by
    a lookup table, in one pass; others (digests) by sorting."""
    import numpy as np

    if len(values) and values.min() >= 0 and values.max() < DENSE_TABLE_LIMIT:
        present = np.flatnonzero(np.bincount(values))
        table = np.zeros(int(values.max()) + 1, dtype=np.int64)
        table[present] = np.arange(len(present))
        return table[values], len(present), present
    unique, inverse = np.unique(values, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64), len(unique), unique


# Above this, a lookup table would cost more memory than sorting costs time.
DENSE_TABLE_LIMIT = 4_000_000


def _distinct(facts: Iterable[Fact], context: Context) -> dict[CellKey, tuple]:
    return count_distinct(Packed.of(facts), context)


def _combinations(packed: Packed, context: Context):
    """Each fact's combination of organization and programs (an integer), resolved once per
    (organization, program, month); and the combinations, numbered."""
    import numpy as np

    organizations, organization_count, organization_ids = _dense(packed.organizations)
    programs, program_count, program_ids = _dense(packed.programs.astype(np.int64) + 1)
    first = int(packed.months.min()) if len(packed) else 0
    months, month_count, month_offsets = _dense(packed.months.astype(np.int64) - first)
    triples, _, triple_codes = _dense(
        (organizations * program_count + programs) * month_count + months
    )
    combos: dict[tuple, int] = {}
    combo_of_triple = np.empty(len(triple_codes), dtype=np.int64)
    for index, code in enumerate(triple_codes.tolist()):
        rest, month = divmod(code, month_count)
        organization_index, program = divmod(rest, program_count)
        organization = int(organization_ids[organization_index])
        program_id = int(program_ids[program]) - 1
        fact = Fact(
            organization,
            None if program_id < 0 else program_id,
            month_of_number(first + int(month_offsets[month])),
        )
        combo_of_triple[index] = combos.setdefault(
            (organization, context.programs_of(fact)), len(combos)
        )
    return combo_of_triple[triples], combos


def count_distinct(
    packed: Packed, context: Context, *, latest_only: bool = False
) -> dict[CellKey, tuple]:
    """Distinct keys per cell, with NumPy: each (cell, category, key) becomes one integer, and a
    cell's figure is the number of unique integers it has.

    Most people are counted in one combination of organization and programs only: their figures are
    counted once per combination and category, then added to each cell of the combination (a
    person in one combination cannot be met twice in a cell). Only the people found in several
    combinations (followed by two organizations, in two programs…) are expanded to every cell and
    de-duplicated there: at national scale, that is a few percent of tens of millions of pairs.

    ``latest_only``: for several months put together, a key keeps, in each combination, the
    categories of the last month it was counted in (someone aged 25 in March and 26 in May counts
    once, as 26), as a count over the whole run would."""
    import numpy as np

    if not len(packed):
        return {}
    combo_array, combos = _combinations(packed, context)
    key_array, key_count, _ = _dense(packed.keys)
    slot_arrays = [np.zeros(len(packed), dtype=np.int64)] + [
        slot.astype(np.int64) for slot in packed.slots
    ]
    if latest_only:
        keep = _latest(combo_array * key_count + key_array, packed.months)
        combo_array, key_array = combo_array[keep], key_array[keep]
        slot_arrays = [slot[keep] for slot in slot_arrays]
    cube = _Cube.of(combos, packed.vocabulary, key_count, context)

    pairs_of_keys = _unique_sorted(combo_array * key_count + key_array)
    combos_per_key = np.bincount(pairs_of_keys % key_count, minlength=key_count)
    several = (combos_per_key > 1)[key_array]

    counts: dict[tuple[int, int], int] = {}
    _count_single(
        cube, combo_array[~several], key_array[~several], [s[~several] for s in slot_arrays], counts
    )
    if several.any():
        _count_expanded(
            cube,
            combo_array[several],
            key_array[several],
            [s[several] for s in slot_arrays],
            counts,
        )
    result: dict[CellKey, tuple] = {}
    for (target, category_id), count in counts.items():
        scope, organization, program, territory = cube.targets_by_id[target]
        result[(scope, organization, program, territory, packed.vocabulary[category_id])] = (
            float(count),
            None,
        )
    return result


def _latest(codes, months):
    """Positions to keep so that each code keeps only the facts of its last month."""
    import numpy as np

    months, month_count, _ = _dense(months.astype(np.int64) - int(months.min()))
    order = np.argsort(codes * month_count + months)
    sorted_codes, sorted_months = codes[order], months[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = sorted_codes[1:] != sorted_codes[:-1]
    ends = np.ones(len(order), dtype=bool)
    ends[:-1] = starts[1:]
    group = np.cumsum(starts) - 1
    return order[sorted_months == sorted_months[ends][group]]


def _is_local(target: tuple) -> bool:
    return target[0] in (Scope.ORGANIZATION, Scope.ORGANIZATION_PROGRAM)


@dataclass
class _Cube:
    """What every set-based count shares: the sizes of the integer codes, which categories stay
    local, and the cells of each combination (flattened: the cells of combination ``c`` are
    ``flat_cells[starts[c]:starts[c] + widths[c]]``)."""

    key_count: int
    category_count: int
    local_only: Any  # NumPy booleans, by category
    combo_targets: dict[int, list]
    target_ids: dict[tuple, int]
    targets_by_id: list[tuple]
    widths: Any
    starts: Any
    flat_cells: Any
    flat_local: Any

    @classmethod
    def of(cls, combos: dict[tuple, int], vocabulary: list[str], key_count: int, context: Context):
        import numpy as np

        combo_targets = {
            combo: _targets(organization, programs, context.territories.get(organization, ()))
            for (organization, programs), combo in combos.items()
        }
        target_ids: dict[tuple, int] = {}
        for targets in combo_targets.values():
            for target in targets:
                target_ids.setdefault(target, len(target_ids))
        combo_count = max(combo_targets) + 1
        cells_of = [[target_ids[t] for t in combo_targets.get(c, ())] for c in range(combo_count)]
        local_of = [[_is_local(t) for t in combo_targets.get(c, ())] for c in range(combo_count)]
        widths = np.array([len(cells) for cells in cells_of], dtype=np.int64)
        return cls(
            key_count,
            len(vocabulary),
            # Residence communes break an organization's figures down; above it they would
            # multiply the cells by thousands of communes for no reader (the territories are the
            # drill-down there).
            np.array([name.startswith(LOCAL_PREFIXES) for name in vocabulary], dtype=bool),
            combo_targets,
            target_ids,
            list(target_ids),
            widths,
            np.concatenate(([0], np.cumsum(widths)[:-1])),
            np.array([t for cells in cells_of for t in cells], dtype=np.int64),
            np.array([flag for flags in local_of for flag in flags], dtype=bool),
        )

    def add(self, counts: dict[tuple[int, int], int], cells, sizes) -> None:
        """Add ``sizes`` to the (cell, category) codes ``cells``."""
        for code, size in zip(cells.tolist(), sizes.tolist(), strict=True):
            key = divmod(code, self.category_count)
            counts[key] = counts.get(key, 0) + int(size)

    def spread(self, group_combo, group_category, weights: list):
        """Figures per (combination, category) added to each cell of the combination: the
        (cell, category) codes, and for each of ``weights`` its sums there."""
        import numpy as np

        repeat = self.widths[group_combo]
        row = np.repeat(np.arange(len(group_combo)), repeat)
        offset = np.arange(len(row)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
        position = self.starts[group_combo][row] + offset
        keep = self.flat_local[position] | ~self.local_only[group_category[row]]
        cell = self.flat_cells[position[keep]] * self.category_count + group_category[row[keep]]
        unique_cells, inverse = np.unique(cell, return_inverse=True)
        return unique_cells, [np.bincount(inverse, weights=w[row[keep]]) for w in weights]


def _count_single(cube: _Cube, combo_array, key_array, slots, counts) -> None:
    """Keys met in one combination: distinct keys per (combination, category), added to each cell
    of the combination."""
    import numpy as np

    if not len(combo_array):
        return
    key_count, category_count = cube.key_count, cube.category_count
    codes = [
        np.where(slot >= 0, (combo_array * category_count + slot) * key_count + key_array, -1)
        for slot in slots
    ]
    pairs = _unique_sorted(np.concatenate(codes))
    pairs = pairs[pairs >= 0]
    groups, sizes = np.unique(pairs // key_count, return_counts=True)
    group_combo, group_category = np.divmod(groups, category_count)
    cells, (totals,) = cube.spread(group_combo, group_category, [sizes])
    cube.add(counts, cells, totals)


def _count_expanded(cube: _Cube, combo_array, key_array, slots, counts) -> None:
    """Keys met in several combinations: each (cell, category, key) as one integer, unique ones
    counted per cell."""
    import numpy as np

    key_count, category_count = cube.key_count, cube.category_count
    codes = [np.where(slot >= 0, slot * key_count + key_array, -1) for slot in slots]
    order = np.argsort(combo_array, kind="stable")
    present = np.unique(combo_array)
    bounds = np.searchsorted(combo_array[order], np.append(present, present[-1] + 1))
    pair_space = category_count * key_count
    chunks = []
    for position, combo in enumerate(present.tolist()):
        members = order[bounds[position] : bounds[position + 1]]
        pairs = _unique_sorted(np.concatenate([c[members] for c in codes]))
        pairs = pairs[pairs >= 0]
        shared = pairs[~cube.local_only[pairs // key_count]]
        for target in cube.combo_targets[combo]:
            target_id = cube.target_ids[target]
            chunks.append(target_id * pair_space + (pairs if _is_local(target) else shared))
    cells = _unique_sorted(np.concatenate(chunks)) // key_count
    cube.add(counts, *np.unique(cells, return_counts=True))


def _rows(
    indicator: str,
    grain: str,
    period: datetime.date,
    cells: dict[CellKey, tuple],
    last_month: datetime.date | None = None,
) -> list[tuple]:
    """The figures as rows in the order of ``COLUMNS`` (plain tuples: a national refresh makes
    600,000 of them)."""
    return [
        (
            indicator,
            grain,
            period,
            last_month,
            scope,
            organization,
            program,
            territory,
            category,
            value,
            denominator,
        )
        for (scope, organization, program, territory, category), (
            value,
            denominator,
        ) in cells.items()
    ]


def _month_rows(
    month: datetime.date, context: Context, *, threads: int = 1
) -> tuple[list[tuple], list[MonthFacts]]:
    """The month's figures, and the facts its distinct counts were counted from (kept so that its
    year counts them again without reading the raw rows).

    With ``threads`` > 1 the indicators are read by that many threads, each with its own
    connection: while one waits on PostgreSQL (which runs each query in a process of its own) or
    sorts in NumPy (which lets the interpreter go), another reads or counts. Only for a refresh
    that holds no transaction when it starts (``_reads_in_threads``): the threads' connections see
    only committed rows."""
    end = next_month(month)

    def one(indicator: Indicator) -> tuple[list[tuple], MonthFacts | None]:
        if indicator.kind == Kind.DISTINCT:
            packed = _packed(indicator, month, end)
            cells = count_distinct(packed, context)
            kept = _month_facts(indicator.code, month, packed)
        else:
            cells, kept = compute(indicator, indicator.facts(month, end), context), None
        return _rows(indicator.code, Grain.MONTH, month, cells), kept

    with shared_reads():
        if threads > 1:
            # The indicators reading the most rows (their own column reading) first: the other
            # thread takes the short ones meanwhile, and neither is left alone at the end.
            order = sorted(INDICATORS.values(), key=lambda i: i.packed is None)
            by_code = dict(
                zip([i.code for i in order], _in_threads(one, order, threads), strict=True)
            )
            results = [by_code[code] for code in INDICATORS]
        else:
            results = [one(indicator) for indicator in INDICATORS.values()]
    rows = [row for indicator_rows, _ in results for row in indicator_rows]
    return rows, [kept for _, kept in results if kept is not None]


def _in_threads(work: Callable[[Any], Any], items: list, threads: int) -> list:
    """``[work(item) for item in items]`` by ``threads`` threads taking the next item as they
    finish one, in this context (the shared reads); each closes its connection when done. The
    results in the items' order; the first error raised here."""
    pending = iter(list(enumerate(items)))
    taking = threading.Lock()
    failed = threading.Event()
    results: dict[int, Any] = {}

    def drain() -> None:
        try:
            _set_refresh_memory()
            while not failed.is_set():
                with taking:
                    taken = next(pending, None)
                if taken is None:
                    return
                results[taken[0]] = work(taken[1])
        except BaseException:
            failed.set()
            raise
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        drains = [pool.submit(contextvars.copy_context().run, drain) for _ in range(threads)]
    for finished in drains:
        finished.result()
    return [results[index] for index in range(len(items))]


def _reads_in_threads() -> int:
    """How many threads read a month's indicators: two on PostgreSQL when the refresh starts
    outside any transaction (a task, the command), else one (a caller's transaction holds rows the
    threads' own connections would not see — the tests' among them)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    return REFRESH_THREADS


def _packed(indicator: Indicator, start: datetime.date, end: datetime.date) -> Packed:
    if indicator.packed is not None:
        return indicator.packed(start, end)
    return Packed.of(indicator.facts(start, end))


def _month_facts(indicator: str, month: datetime.date, packed: Packed, **run: Any) -> MonthFacts:
    """A month's facts to store (``run``: ``first_month`` and ``context`` of joined months)."""
    return MonthFacts(
        indicator=indicator,
        month=month,
        **run,
        rows=len(packed),
        scheme=KEY_SCHEME,
        categories=packed.vocabulary,
        data=packed.to_bytes(),
    )


def _stored_months(
    indicator: Indicator,
    first: datetime.date,
    end: datetime.date,
    context: Context,
    timings: dict,
) -> Packed:
    """The facts of the months from ``first`` to before ``end`` (up to this month), from the
    stored months; a month never stored (or stored with another key scheme) is read and stored.

    A year keeps its months but the last already joined (``MonthFacts.first_month``): refreshing
    the current month, as the daily refresh does, reads that run and one month instead of eleven.
    It also keeps its months but the last two joined: a change in last month (a late entry, in the
    first days of a month) joins that run with two months instead of joining eleven again.
    """
    today = timezone.localdate()
    months = []
    month = first
    while month < end and month <= today:
        months.append(month)
        month = next_month(month)
    if not months:
        return Packed.concatenate([])
    clock = time.perf_counter()
    fingerprint = context.fingerprint()
    # Years only (a reporting period is computed once): from January, within the year.
    joins = first.month == 1 and end <= datetime.date(first.year + 1, 1, 1) and len(months) > 1
    runs_before = MonthFacts.objects.filter(
        indicator=indicator.code,
        first_month=first,
        month__lt=months[-1],
        scheme=KEY_SCHEME,
        context=fingerprint,
    ).order_by("-month")
    run = next(iter(_with_data(runs_before[:1])), None) if joins else None
    wanted = [m for m in months if run is None or m > run.month]
    stored = {
        facts.month: Packed.from_bytes(facts.data, facts.categories)
        for facts in _with_data(
            MonthFacts.objects.filter(
                indicator=indicator.code, month__in=wanted, first_month=None, scheme=KEY_SCHEME
            )
        )
    }
    _tick(timings, "lecture des faits des mois", clock)
    missing = [m for m in wanted if m not in stored]
    for month in missing:
        stored[month] = _packed(indicator, month, next_month(month))
    if missing:
        MonthFacts.objects.filter(
            indicator=indicator.code, month__in=missing, first_month=None
        ).delete()
        _save_facts(_month_facts(indicator.code, m, stored[m]) for m in missing)
    parts = ([Packed.from_bytes(run.data, run.categories)] if run else []) + [
        stored[m] for m in wanted
    ]
    if not joins or (run is not None and run.month == months[-2]):
        return Packed.concatenate(parts)
    runs = MonthFacts.objects.filter(indicator=indicator.code, first_month=first)
    if run is not None and run.month == months[-3]:
        # Last month changed: the run before it, joined with it.
        runs.exclude(pk=run.pk).delete()
        joined = {months[-2]: latest_facts(Packed.concatenate(parts[:2]), context)}
    elif len(months) > 2:
        before_two = latest_facts(Packed.concatenate(parts[:-2]), context)
        joined = {
            months[-3]: before_two,
            months[-2]: latest_facts(Packed.concatenate([before_two, parts[-2]]), context),
        }
        runs.delete()
    else:
        joined = {months[-2]: latest_facts(Packed.concatenate(parts[:-1]), context)}
        runs.delete()
    _save_facts(
        _month_facts(indicator.code, last, packed, first_month=first, context=fingerprint)
        for last, packed in joined.items()
    )
    return Packed.concatenate([joined[months[-2]], parts[-1]])


def _with_data(queryset) -> list[MonthFacts]:
    """The stored facts of ``queryset``, arrays included. On PostgreSQL the arrays (nationally tens
    of megabytes a month) are read in binary by a query of their own: through Django's cursor
    they come as hexadecimal text, twice the bytes, decoded in Python (0.7 against 0.15 s for
    three national months)."""
    if connection.vendor != "postgresql":
        return list(queryset)
    facts = list(queryset.defer("data"))
    if facts:
        with bound_cursor() as cursor:
            cursor.execute(
                f"SELECT id, data FROM {MonthFacts._meta.db_table} WHERE id = ANY(%s)",  # noqa: S608
                [[f.pk for f in facts]],
                binary=True,
            )
            arrays = dict(cursor.fetchall())
        for stored in facts:
            stored.data = arrays[stored.pk]
    return facts


def _save_facts(facts: Iterable[MonthFacts]) -> None:
    """Store months' facts. On PostgreSQL the arrays are sent as binary parameters (the server
    binds them): Django's cursor writes each into the statement as hexadecimal text, which the
    server then parses (0.57 against 0.09 s for a national month's 22 MB)."""
    facts = list(facts)
    if connection.vendor != "postgresql":
        MonthFacts.objects.bulk_create(facts)
        return
    if not facts:
        return
    fields = [field for field in MonthFacts._meta.concrete_fields if not field.primary_key]
    marks = {models.BinaryField: "%b", models.JSONField: "%s::jsonb"}
    with bound_cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {MonthFacts._meta.db_table} "  # noqa: S608
            f"({', '.join(field.column or field.attname for field in fields)}) "
            f"VALUES ({', '.join(marks.get(type(field), '%s') for field in fields)})",
            [
                [
                    json.dumps(value) if isinstance(field, models.JSONField) else value
                    for field in fields
                    for value in [getattr(f, field.attname)]
                ]
                for f in facts
            ],
        )


def latest_facts(packed: Packed, context: Context) -> Packed:
    """Only the facts ``count_distinct(…, latest_only=True)`` would keep: joined with later months,
    they count as all of them would."""
    if not len(packed):
        return packed
    combo_array, _ = _combinations(packed, context)
    key_array, key_count, _ = _dense(packed.keys)
    return packed.take(_latest(combo_array * key_count + key_array, packed.months))


COLUMNS = (
    "indicator",
    "grain",
    "period",
    "last_month",
    "scope",
    "organization_id",
    "program_id",
    "territory_id",
    "category",
    "value",
    "denominator",
)


def _replace(
    grain: str,
    period: datetime.date,
    last_month: datetime.date | None,
    rows,
    *,
    changes: Changes | None = None,
    known: tuple[frozenset[str], dict[tuple, tuple]] | None = None,
) -> None:
    """Make the stored figures of this grain and period exactly ``rows``, deleting and writing only
    the figures that changed: a refresh usually changes few of the hundreds of thousands of a
    national month and year. ``changes``, if given, receives how each total, rate and mean moved
    (``Changes``): its year is then summed from those moves instead of from all its months.
    ``known``: indicators whose stored figures the caller read itself, and those of them
    ``rows`` may change (``Changes.year_sums``: the moved ones); their other figures stay."""
    stored = Aggregate.objects.filter(grain=grain, period=period, last_month=last_month)
    existing: dict[tuple, tuple] = {}
    if known is not None:
        indicators, figures = known
        stored = stored.exclude(indicator__in=indicators)
        existing.update(figures)
    existing.update(_stored_figures(stored))
    changed, stale = [], []
    for row in rows:
        key = (row[0], *row[4:9])
        old = existing.pop(key, None)
        if old is not None:
            if old[1] == row[9] and old[2] == row[10]:
                continue
            stale.append(old[0])
        changed.append(row)
        if changes is not None:
            changes.move(key, old[1:] if old is not None else None, (row[9], row[10]))
    for key, (pk, value, bottom) in existing.items():
        stale.append(pk)
        if changes is not None:
            changes.move(key, (value, bottom), None)
    _delete(stale)
    _write(changed)


class Changes:
    """How the totals, rates and means of the months being refreshed moved: for each figure
    (``KEY_COLUMNS``) the difference of its value and of its denominator. A year of totals is
    the sum of its months, so it moves by the same differences: summing them to the year's stored
    figures reads the year (one grain, one period) instead of grouping all its months (nationally
    300,000 sums out of 2 million rows)."""

    def __init__(self) -> None:
        self.additive = _additive()
        self.moves: dict[tuple, list] = {}
        self.read: tuple[frozenset[str], dict[tuple, tuple]] | None = None

    def move(self, key: tuple, old: tuple | None, new: tuple | None) -> None:
        if key[0] not in self.additive:
            return
        cell = self.moves.setdefault(key, [0.0, None])
        if old is not None:
            _add(cell, *old, sign=-1)
        if new is not None:
            _add(cell, *new)

    def year_sums(self, grain: str, first: datetime.date, end: datetime.date) -> list[tuple] | None:
        """The period's totals, rates and means that moved, as ``_range_rows`` sums them (without
        the grain, period and last month): their stored figures moved by ``moves``; the others
        stay as stored, neither read nor written. ``None`` when too many figures come to
        nothing, for which only the months can tell whether they still exist (a month may hold a
        zero: a free service delivered)."""
        indicators = {key[0] for key in self.moves}
        stored = (
            _stored_figures(
                Aggregate.objects.filter(
                    grain=grain, period=first, last_month=None, indicator__in=indicators
                )
            )
            if indicators
            else {}
        )
        moved = {key: stored[key] for key in self.moves if key in stored}
        # Kept for the period's ``_replace``: it compares the moved figures with these and leaves
        # the other totals, rates and means of the period alone.
        self.read = (self.additive, moved)
        sums = {}
        nothing = []
        for key, (value, bottom) in self.moves.items():
            old = moved.get(key)
            cell = [0.0, None] if old is None else [old[1], old[2]]
            _add(cell, value, bottom)
            sums[key] = cell
            if cell[0] == 0 and not cell[1]:
                nothing.append(key)
        if len(nothing) > ZEROS_CHECKED:
            return None
        if nothing:
            still = _still_in_months(nothing, first, end)
            for key in nothing:
                if key not in still:
                    del sums[key]
        return [(*key, value, bottom) for key, (value, bottom) in sums.items()]


def _add(cell: list, value: float, bottom: float | None, *, sign: int = 1) -> None:
    """Add a figure (value, denominator) to ``cell`` as SQL's ``SUM`` would: a denominator that
    is always NULL stays ``None``."""
    cell[0] += sign * value
    if bottom is not None:
        cell[1] = (cell[1] or 0.0) + sign * bottom


def _additive() -> frozenset[str]:
    """The indicators whose longer periods are the sums of their months."""
    return frozenset(i.code for i in INDICATORS.values() if i.additive)


# A figure of a year whose months' moves sum to nothing may still be there (a zero in one month):
# up to this many are looked up in the months; more, and the year is summed from its months.
ZEROS_CHECKED = 500


def _still_in_months(keys: list[tuple], first: datetime.date, end: datetime.date) -> set[tuple]:
    """Which of these figures (``KEY_COLUMNS``) one of the months from ``first`` to before
    ``end`` still holds."""
    wanted = Q(pk__in=[])
    for indicator, scope, organization, program, territory, category in keys:
        wanted |= Q(
            indicator=indicator,
            scope=scope,
            organization_id=organization,
            program_id=program,
            territory_id=territory,
            category=category,
        )
    months = Aggregate.objects.filter(grain=Grain.MONTH, period__gte=first, period__lt=end)
    return set(plain_rows(months.filter(wanted).values_list(*KEY_COLUMNS).distinct().order_by()))


# What names a figure within its grain and period.
KEY_COLUMNS = ("indicator", "scope", "organization_id", "program_id", "territory_id", "category")


def _stored_figures(stored) -> dict[tuple, tuple]:
    """Stored figures by what names them (``KEY_COLUMNS``): (pk, value, denominator), as plain
    tuples (a national month or year holds 300,000 figures)."""
    return {
        (indicator, scope, organization, program, territory, category): (pk, value, bottom)
        for pk, indicator, scope, organization, program, territory, category, value, bottom in (
            plain_rows(stored.values_list("pk", *KEY_COLUMNS, "value", "denominator").order_by())
        )
    }


def _delete(pks: list[int]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM indicators_aggregate WHERE id = ANY(%s)", [pks])
        return
    for start in range(0, len(pks), 500):  # SQLite's bound on a query's parameters
        Aggregate.objects.filter(pk__in=pks[start : start + 500]).delete()


def _write(rows: list[tuple]) -> None:
    """Insert the figures: ``COPY`` on PostgreSQL (several times faster than INSERT), else bulk."""
    if connection.vendor != "postgresql":
        Aggregate.objects.bulk_create(
            (Aggregate(**dict(zip(COLUMNS, row, strict=True))) for row in rows), batch_size=2000
        )
        return
    with connection.cursor() as cursor:
        names = ", ".join(COLUMNS)
        with cursor.cursor.copy(f"COPY {Aggregate._meta.db_table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _range_rows(
    first: datetime.date,
    end: datetime.date,
    grain: str,
    context: Context,
    timings: dict,
    *,
    last_month: datetime.date | None = None,
    changes: Changes | None = None,
) -> list[tuple]:
    """Figures of the months from ``first`` to before ``end`` taken together: totals, rates and
    means summed from the stored months (or, given the ``changes`` of the months refreshed, the
    stored figures moved by them); distinct people and organizations counted again over the
    whole run, so that someone seen in two of its months (or two of its years) counts once."""
    clock = time.perf_counter()
    rows = []
    # Plain tuples (a national year: 300,000 sums): (indicator, scope, organization, program,
    # territory, category, value, denominator).
    sums = None if changes is None else changes.year_sums(grain, first, end)
    if sums is None:
        if changes is not None:  # too many figures came to nothing: summed after all
            _analyze_figures()
        sums = plain_rows(
            Aggregate.objects.filter(
                grain=Grain.MONTH, period__gte=first, period__lt=end, indicator__in=_additive()
            )
            .values_list(*KEY_COLUMNS)
            .annotate(value=Sum("value"), denominator=Sum("denominator"))
            .order_by()
        )
    rows += [(row[0], grain, first, last_month, *row[1:]) for row in sums]
    _tick(
        timings, f"{Grain(grain).label.lower()} : totaux, taux et moyennes (somme des mois)", clock
    )
    clock = time.perf_counter()
    # Counted again from the stored months: someone seen in two of them counts once. The
    # counting (NumPy's sorts, which let the interpreter go) runs in a second thread while this
    # one reads and joins the next indicator's months in the refresh's transaction.
    counted = []
    with shared_reads(), ThreadPoolExecutor(max_workers=1) as counting:
        for indicator in INDICATORS.values():
            if indicator.additive:
                continue
            if indicator.kind == Kind.DISTINCT:
                packed = _stored_months(indicator, first, end, context, timings)
                counted.append((indicator.code, counting.submit(_count_latest, packed, context)))
            else:
                cells = compute(indicator, indicator.facts(first, end), context)
                rows += _rows(indicator.code, grain, first, cells, last_month)
        for code, cells_to_come in counted:
            rows += _rows(code, grain, first, cells_to_come.result(), last_month)
    _tick(
        timings,
        f"{Grain(grain).label.lower()} : personnes et structures distinctes (recomptées)",
        clock,
    )
    return rows


def _count_latest(packed: Packed, context: Context) -> dict[CellKey, tuple]:
    return count_distinct(packed, context, latest_only=True)


def _year_rows(
    year: int, context: Context, timings: dict, changes: Changes | None = None
) -> list[tuple]:
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    return _range_rows(start, end, Grain.YEAR, context, timings, changes=changes)


def _tick(timings: dict, phase: str, clock: float) -> None:
    timings[phase] = timings.get(phase, 0.0) + time.perf_counter() - clock


def _begin_refresh() -> None:
    """Two workers refreshing at once wait for each other (PostgreSQL; SQLite writes one at a time
    anyway), so that a month's figures and facts are never written twice. The refresh's sorts and
    groupings (a national month: a million rows) get the memory to run without spilling to disk;
    both settings end with the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])
            cursor.execute("SET LOCAL work_mem = %s", [REFRESH_WORK_MEM])


def _set_refresh_memory() -> None:
    """A reading thread's connection (closed when the thread ends) sorts in memory too."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET work_mem = %s", [REFRESH_WORK_MEM])


def _analyze_figures() -> None:
    """After months are rewritten, PostgreSQL's statistics of the figures' table are refreshed in the
    same transaction: a year summing its months, planned on stale statistics (a fresh database: two
    rows expected, two million read), sorts them on disk instead of hashing them (9 s instead of
    3 s nationally)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Aggregate._meta.db_table}")


# An arbitrary number naming the refresh's lock (« ANCRAGE » on a phone keypad).
REFRESH_LOCK = 26_227_243
REFRESH_WORK_MEM = "256MB"
# Threads reading a month's indicators side by side (``_month_rows``).
REFRESH_THREADS = 2


def refresh_months(
    months: Iterable[datetime.date], *, timings: dict | None = None, sum_months: bool = False
) -> int:
    """Recompute these months and the years they belong to; returns the number of figures written.

    A year whose months were all computed before moves its totals by what changed in the months
    refreshed (``Changes``); ``sum_months`` sums them from all its months instead (``refresh_year``:
    a year computed again from nothing). ``timings``, if given, receives the seconds spent in each
    phase (for the benchmark)."""
    timings = {} if timings is None else timings
    months = sorted({first_of_month(m) for m in months})
    threads = _reads_in_threads()
    context = Context.load()
    written = 0
    today = timezone.localdate()
    for year in sorted({m.year for m in months}):
        # A year sums its months: the months never computed yet are computed with it.
        computed = set(Refresh.objects.filter(month__year=year).values_list("month", flat=True))
        in_year = sorted(
            {m for m in months if m.year == year}
            | {m for m in months_of_year(year) if m <= today and m not in computed}
        )
        # Each month was written with its year, in one transaction: the year's stored totals are
        # then the sums of its stored months, and move as they do.
        changes = None if sum_months or not set(in_year) <= computed else Changes()
        with transaction.atomic():
            StaleMonth.objects.filter(month__in=in_year).delete()
            _begin_refresh()
            for month in in_year:
                started = time.perf_counter()
                rows, kept = _month_rows(month, context, threads=threads)
                _tick(timings, "mois : tous les indicateurs", started)
                clock = time.perf_counter()
                _replace(Grain.MONTH, month, None, rows, changes=changes)
                MonthFacts.objects.filter(month=month, first_month=None).delete()
                _save_facts(kept)
                # A joined run holding this month is out of date.
                MonthFacts.objects.filter(first_month__lte=month, month__gte=month).delete()
                _tick(timings, "écriture", clock)
                Refresh.objects.create(
                    month=month, seconds=time.perf_counter() - started, rows=len(rows)
                )
                written += len(rows)
            if changes is None:
                # The year is summed from its months below: planned on fresh statistics. Moved
                # (``Changes``), it reads one period by the index, as the dashboards do; the
                # months' statistics then wait for PostgreSQL's own analysis (0.2-0.3 s saved).
                clock = time.perf_counter()
                _analyze_figures()
                _tick(timings, "écriture", clock)
            year_rows = _year_rows(year, context, timings, changes)
            clock = time.perf_counter()
            _replace(
                Grain.YEAR,
                datetime.date(year, 1, 1),
                None,
                year_rows,
                known=None if changes is None else changes.read,
            )
            _tick(timings, "écriture", clock)
            written += len(year_rows)
        logger.info(
            "indicators refreshed",
            extra={"year": year, "months": len(in_year), "figures": written},
        )
    if months:
        # The periods holding a changed month are out of date: the next refresh recounts them.
        ReportingPeriod.objects.filter(
            first_month__lte=months[-1], last_month__gte=months[0], computed_at__isnull=False
        ).update(computed_at=None)
    return written


def refresh_period(period: ReportingPeriod, *, timings: dict | None = None) -> int:
    """Recompute one period's figures (its months first if some were never computed)."""
    timings = {} if timings is None else timings
    today = timezone.localdate()
    wanted = []
    month = period.first_month
    while month <= period.last_month and month <= today:
        wanted.append(month)
        month = next_month(month)
    computed = set(
        Refresh.objects.filter(month__in=wanted).values_list("month", flat=True).distinct()
    )
    missing = [m for m in wanted if m not in computed]
    if missing:
        refresh_months(missing, timings=timings)
    context = Context.load()
    end = next_month(period.last_month)
    with transaction.atomic():
        _begin_refresh()
        rows = _range_rows(
            period.first_month, end, Grain.PERIOD, context, timings, last_month=period.last_month
        )
        clock = time.perf_counter()
        _replace(Grain.PERIOD, period.first_month, period.last_month, rows)
        _tick(timings, "écriture", clock)
        ReportingPeriod.objects.filter(pk=period.pk).update(computed_at=timezone.now())
    logger.info("indicators period refreshed", extra={"figures": len(rows)})
    return len(rows)


def refresh_periods() -> int:
    """Every registered period not computed yet or out of date."""
    written = 0
    for period in ReportingPeriod.objects.filter(computed_at__isnull=True):
        written += refresh_period(period)
    return written


def refresh_year(year: int) -> int:
    """The year computed again from nothing: each month, then the year's totals summed from them."""
    today = timezone.localdate()
    return refresh_months((m for m in months_of_year(year) if m <= today), sum_months=True)


def refresh_stale() -> int:
    """The months marked as changed since the last refresh."""
    stale = list(StaleMonth.objects.values_list("month", flat=True))
    return refresh_months(stale) if stale else 0


def mark_stale(months: Iterable[datetime.date]) -> None:
    today = timezone.localdate()
    rows = [StaleMonth(month=first_of_month(m)) for m in set(months) if m <= today]
    if rows:
        StaleMonth.objects.bulk_create(rows, ignore_conflicts=True)

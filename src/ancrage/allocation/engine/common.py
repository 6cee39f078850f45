"""Shared pieces: eligibility, clusters, scoring and checking a packing."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from ancrage.allocation.engine.model import Apprentice, Assignment, Instance, Solution, Unit

NEAREST = 250


class Eligibility(dict[str, list[str]]):
    """Apprentice id → eligible unit ids, cheapest first; also keeps the pairs as index arrays
    (``apprentice_indexes``, ``unit_indexes``) so that clusters are found without a Python loop."""

    apprentice_indexes: np.ndarray
    unit_indexes: np.ndarray
    source: tuple[list[Apprentice], list[Unit]] | None = (
        None  # the instance's lists the indexes refer to
    )
    # Apprentice id → the instance indexes of their eligible units (same order as the ids).
    unit_arrays: dict[str, np.ndarray] | None = None


def _nearest(
    points: list[tuple[float, float]], radii: list[float], coordinates: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The ``NEAREST`` nearest of ``coordinates`` within each point's radius: (indexes, found),
    two arrays of shape (points, k); ``found`` says which cells hold a unit within reach."""
    tree = cKDTree(coordinates)
    k = min(NEAREST, len(coordinates))
    distances, indexes = tree.query(
        np.asarray(points, dtype=float), k=k, distance_upper_bound=float(max(radii)) + 1e-9
    )
    distances = distances.reshape(len(points), k)
    indexes = indexes.reshape(len(points), k)
    found = distances <= np.asarray(radii, dtype=float)[:, None] + 1e-9
    return np.where(found, indexes, 0), found


def eligibility(instance: Instance) -> Eligibility:
    """Apprentice id → ids of the units they may live in, cheapest first.

    A k-d tree finds, for each apprentice, the units within their maximum distance (accessible
    units only for those who need one, in the places they accept if they named some), and keeps at most the ``NEAREST`` nearest: in a dense
    region that is ample choice, and the problem stays linear in the number of apprentices."""
    result = Eligibility((a.id, []) for a in instance.apprentices)
    result.apprentice_indexes = result.unit_indexes = np.zeros(0, dtype=np.int64)
    result.source = (instance.apprentices, instance.units)
    result.unit_arrays = {}
    if not instance.apprentices or not instance.units:
        return result
    units = instance.units
    coordinates = np.array([(u.x, u.y) for u in units], dtype=float)
    rents = np.array([u.weekly_rent for u in units], dtype=float)
    unit_ids = np.array([u.id for u in units], dtype=object)
    pairs_a, pairs_u = [], []
    groups: dict[tuple[bool, frozenset[str] | None], list[int]] = defaultdict(list)
    for i, a in enumerate(instance.apprentices):
        groups[a.needs_accessible, a.places].append(i)
    for (needs, places), group in groups.items():
        pool = np.flatnonzero(
            [(u.accessible or not needs) and (places is None or u.place in places) for u in units]
        )
        if not len(pool):
            continue
        people = [instance.apprentices[i] for i in group]
        local, found = _nearest(
            [(a.x, a.y) for a in people], [a.max_km for a in people], coordinates[pool]
        )
        chosen = pool[local]
        # Cheapest first (then instance order): unreachable cells sort last.
        key = np.where(found, rents[chosen], np.inf)
        order = np.lexsort((chosen, key), axis=1)
        chosen = np.take_along_axis(chosen, order, axis=1)
        counts = found.sum(axis=1)
        for position, (a, row, count) in enumerate(zip(people, chosen, counts, strict=True)):
            kept = row[:count]
            result[a.id] = unit_ids[kept].tolist()
            result.unit_arrays[a.id] = kept
            pairs_a.append(np.full(count, group[position]))
            pairs_u.append(kept)
    if pairs_a:
        result.apprentice_indexes = np.concatenate(pairs_a)
        result.unit_indexes = np.concatenate(pairs_u)
    if any(u.weeks is not None for u in units):
        _keep_units_in_service(instance, result)
    return result


def _keep_units_in_service(instance: Instance, result: Eligibility) -> None:
    """Drop the units that do not exist on every week of an apprentice (service dates)."""
    index_of = {u.id: i for i, u in enumerate(instance.units)}
    pairs_a, pairs_u = [], []
    for position, a in enumerate(instance.apprentices):
        kept = [
            unit_id
            for unit_id in result[a.id]
            if (weeks := instance.units[index_of[unit_id]].weeks) is None or a.weeks <= weeks
        ]
        result[a.id] = kept
        indexes = np.array([index_of[u] for u in kept], dtype=np.int64)
        if result.unit_arrays is not None:
            result.unit_arrays[a.id] = indexes
        pairs_a.append(np.full(len(kept), position, dtype=np.int64))
        pairs_u.append(indexes)
    result.apprentice_indexes = np.concatenate(pairs_a) if pairs_a else np.zeros(0, np.int64)
    result.unit_indexes = np.concatenate(pairs_u) if pairs_u else np.zeros(0, np.int64)


def clusters(instance: Instance, eligible: dict[str, list[str]]) -> list[Instance]:
    """Independent sub-problems: apprentices and units linked by eligibility (connected
    components of the bipartite graph)."""
    n_apprentices, n_units = len(instance.apprentices), len(instance.units)
    source = eligible.source if isinstance(eligible, Eligibility) else None
    if (
        isinstance(eligible, Eligibility)
        and source
        and source[0] is instance.apprentices
        and source[1] is instance.units
    ):
        rows, cols = eligible.apprentice_indexes, eligible.unit_indexes + n_apprentices
    else:
        unit_index = {u.id: n_apprentices + i for i, u in enumerate(instance.units)}
        pairs = [
            (i, unit_index[u])
            for i, a in enumerate(instance.apprentices)
            for u in eligible[a.id]
            if u in unit_index
        ]
        rows = np.array([p[0] for p in pairs], dtype=np.int64)
        cols = np.array([p[1] for p in pairs], dtype=np.int64)
    size = n_apprentices + n_units
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(size, size))
    _count, labels = connected_components(graph, directed=False)
    groups: dict[int, tuple[list[Apprentice], list[Unit]]] = defaultdict(lambda: ([], []))
    for i, a in enumerate(instance.apprentices):
        groups[labels[i]][0].append(a)
    for i, u in enumerate(instance.units):
        groups[labels[n_apprentices + i]][1].append(u)
    return [Instance(apprentices=a, units=u) for a, u in groups.values() if a or u]


def score(
    instance: Instance,
    engine: str,
    assignment: Assignment,
    *,
    lower: int,
    seconds: float,
    optimal: bool = False,
) -> Solution:
    units = {u.id: u for u in instance.units}
    used_weeks: dict[str, set[int]] = defaultdict(set)
    bed_weeks: dict[tuple[str, int], int] = defaultdict(int)
    by_id = {a.id: a for a in instance.apprentices}
    for apprentice_id, bed in assignment.items():
        weeks = by_id[apprentice_id].weeks
        used_weeks[bed[0]] |= weeks
        bed_weeks[bed] += len(weeks)
    # A unit taken is paid every week of the period, whoever sleeps there: its weekly rent counts.
    rent = round(sum(units[u].weekly_rent for u in used_weeks), 2)
    empty = sum(units[u].beds * len(weeks) for u, weeks in used_weeks.items()) - sum(
        bed_weeks.values()
    )
    moves = sum(
        1
        for a in instance.apprentices
        if a.current_unit is not None and assignment.get(a.id, (None,))[0] != a.current_unit
    )
    return Solution(
        engine=engine,
        assignment=dict(assignment),
        unhoused=sorted(a.id for a in instance.apprentices if a.id not in assignment),
        units_used=len(used_weeks),
        rent=rent,
        empty_bed_weeks=empty,
        lower_bound=lower,
        seconds=seconds,
        optimal=optimal,
        moves=moves,
    )


def left_out_key(instance: Instance, assignment: Assignment) -> tuple[int, ...]:
    """Who is left out, as a key where smaller is better: among solutions that house as many,
    the one whose best-ranked person left out is ranked lowest, and so on (lexicographic)."""
    return tuple(
        sorted((-a.priority for a in instance.apprentices if a.id not in assignment), reverse=True)
    )


def _fits(
    assignment: Assignment,
    apprentice: Apprentice,
    bed: int,
    leaving: str,
    in_unit: set[str],
    by_id: dict[str, Apprentice],
) -> bool:
    """Whether ``apprentice`` can take bed ``bed`` of the unit whose occupants are ``in_unit``
    once ``leaving`` has left it."""
    sharers = [other for other in in_unit if other not in (leaving, apprentice.id)]
    if sharers and (not apprentice.shares or any(not by_id[o].shares for o in sharers)):
        return False
    for other in sharers:
        if assignment[other][1] == bed and by_id[other].weeks & apprentice.weeks:
            return False
    return True


def honour_priorities(
    instance: Instance, eligible: dict[str, list[str]], assignment: Assignment
) -> Assignment:
    """Nobody left out could take, on their own, the bed of someone housed who is ranked after
    them: such a pair swaps (the same number housed, the same units in use). Repeated until no
    pair is left; each swap houses a better-ranked person, so it ends. Nothing to do when nobody
    is ranked before anyone else."""
    result = dict(assignment)
    if len({a.priority for a in instance.apprentices}) <= 1:
        return result
    by_id = {a.id: a for a in instance.apprentices}
    occupants: dict[str, set[str]] = defaultdict(set)
    for apprentice_id, (unit_id, _bed) in result.items():
        occupants[unit_id].add(apprentice_id)
    ranked = sorted(instance.apprentices, key=lambda a: (a.priority, a.id))
    changed = True
    while changed:
        changed = False
        for waiting in ranked:
            if waiting.id in result:
                continue
            below = sorted(
                (
                    by_id[other]
                    for unit_id in eligible[waiting.id]
                    for other in occupants.get(unit_id, ())
                    if by_id[other].priority > waiting.priority
                ),
                key=lambda a: (-a.priority, a.id),
            )
            for housed in below:
                unit_id, bed = result[housed.id]
                if _fits(result, waiting, bed, housed.id, occupants[unit_id], by_id):
                    del result[housed.id]
                    result[waiting.id] = (unit_id, bed)
                    occupants[unit_id].discard(housed.id)
                    occupants[unit_id].add(waiting.id)
                    changed = True
                    break
    return result


class BrokenInvariant(Exception):
    """A solution breaks a rule of the problem (a bug in an engine, never a user error)."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise BrokenInvariant(message)


def check(instance: Instance, solution: Solution) -> None:
    """The invariants every engine must hold; raises BrokenInvariant naming the culprit."""
    units = {u.id: u for u in instance.units}
    by_id = {a.id: a for a in instance.apprentices}
    taken: set[tuple[str, int, int]] = set()
    for apprentice_id, (unit_id, bed) in solution.assignment.items():
        apprentice, unit = by_id[apprentice_id], units[unit_id]
        _require(instance.eligible(apprentice, unit), f"{apprentice_id} not eligible for {unit_id}")
        _require(0 <= bed < unit.beds, f"{apprentice_id}: bed {bed} of {unit_id} does not exist")
        for week in apprentice.weeks:
            key = (unit_id, bed, week)
            _require(key not in taken, f"bed {unit_id}/{bed} used twice in week {week}")
            taken.add(key)
    for apprentice_id, (unit_id, _bed) in solution.assignment.items():
        if not by_id[apprentice_id].shares:
            others = [
                other
                for other, (u, _b) in solution.assignment.items()
                if u == unit_id and other != apprentice_id
            ]
            _require(not others, f"{apprentice_id} does not share, yet {unit_id} hosts {others}")

"""Shared pieces: eligibility, lower bound, scoring a packing."""

from __future__ import annotations

import math
from collections import defaultdict

from ancrage.allocation.engine.model import Instance, Solution

NEAREST = 250
CELL_KM = 5.0


def eligibility(instance: Instance) -> dict[str, list[str]]:
    """Apprentice id → ids of the units they may live in, cheapest first.

    Units are bucketed in a grid of 5 km cells; each apprentice looks at rings of cells around
    them, nearest first, up to their maximum distance, and keeps at most the ``NEAREST`` nearest
    eligible units (in a dense region that is ample choice, and the search stays linear)."""
    if not instance.apprentices or not instance.units:
        return {a.id: [] for a in instance.apprentices}
    grid: dict[tuple[int, int], list] = defaultdict(list)
    for unit in instance.units:
        grid[int(unit.x // CELL_KM), int(unit.y // CELL_KM)].append(
            (unit.x, unit.y, unit.accessible, unit.weekly_rent, unit.id)
        )
    result = {}
    for a in instance.apprentices:
        cx, cy = int(a.x // CELL_KM), int(a.y // CELL_KM)
        reach = int(math.ceil(a.max_km / CELL_KM)) + 1
        limit = a.max_km * a.max_km
        need = a.needs_accessible
        found = []  # (squared distance, rent, id)
        for ring in range(reach + 1):
            for dx in range(-ring, ring + 1):
                step = 1 if abs(dx) == ring else 2 * ring
                for dy in range(-ring, ring + 1, max(1, step)):
                    for ux, uy, accessible, rent, unit_id in grid.get((cx + dx, cy + dy), ()):
                        d2 = (ux - a.x) ** 2 + (uy - a.y) ** 2
                        if d2 <= limit and (accessible or not need):
                            found.append((d2, rent, unit_id))
            # Every unit in a further ring is at least (ring × cell) away.
            if len(found) >= NEAREST:
                found.sort()
                found = found[:NEAREST]
                if (ring * CELL_KM) ** 2 >= found[-1][0]:
                    break
        found = sorted(found)[:NEAREST]
        found.sort(key=lambda f: (f[1], f[2]))
        result[a.id] = [unit_id for _d2, _rent, unit_id in found]
    return result


def clusters(instance: Instance, eligible: dict[str, list[str]]) -> list[Instance]:
    """Independent sub-problems: apprentices and units linked by eligibility (union-find)."""
    parent: dict[str, str] = {}

    def find(key):
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a in instance.apprentices:
        find("a:" + a.id)
        for unit_id in eligible[a.id]:
            parent[find("a:" + a.id)] = find("u:" + unit_id)
    groups: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for a in instance.apprentices:
        groups[find("a:" + a.id)][0].append(a)
    for u in instance.units:
        groups[find("u:" + u.id)][1].append(u)
    return [Instance(apprentices=a, units=u) for a, u in groups.values() if a or u]


def lower_bound(instance: Instance, eligible: dict[str, list[str]]) -> int:
    """Per cluster, the fewest units whose beds add up to the peak head-count of a week (largest
    units first), counting only apprentices who have an eligible unit: no packing can use fewer."""
    total = 0
    for part in clusters(instance, eligible):
        housable = [a for a in part.apprentices if eligible[a.id]]
        if not housable or not part.units:
            continue
        counts: dict[int, int] = defaultdict(int)
        for a in housable:
            for week in a.weeks:
                counts[week] += 1
        peak, beds = max(counts.values()), 0
        for size in sorted((u.beds for u in part.units), reverse=True):
            if beds >= peak:
                break
            beds += size
            total += 1
    return total


def score(
    instance: Instance, engine: str, assignment, *, lower, seconds, optimal=False
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
        for apprentice_id, bed in assignment.items()
        if by_id[apprentice_id].current_unit not in (None, bed[0])
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

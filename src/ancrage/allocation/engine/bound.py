"""Lower bounds on the units a packing needs, to say how far a solution can be from the best.

Two apprentices *conflict* when they can never sleep in the same bed: they are present in a common
week, they have no eligible unit in common, or one of them does not share. A set of apprentices
who pairwise conflict (a clique of the conflict graph) needs as many beds as it has members; so
does the head-count of the busiest week (everyone present that week conflicts). Per independent
cluster, the bound is the fewest units whose beds reach the larger of the two, largest units first.

The peak week alone is weak on real calendars: noisy weeks and rhythms that do not complement
each other keep apprentices apart although no single week is crowded. The clique sees that.
Finding the largest clique is hard; any clique found is a valid bound, so a greedy search from a
few starting points is enough.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from itertools import chain

import numpy as np
from scipy.sparse import csr_matrix

from ancrage.allocation.engine.model import Apprentice, Instance

CLIQUE_MAX = 3000  # above this many apprentices in a cluster, cliques are found tile by tile
TILE_EFFORT = 0.25  # of the starts and swaps, per tile: a region's bound in about 2 s, not 8
STARTS = 8  # at least; small clusters start from every apprentice (a budget of about
WORK = 20000  # apprentices × starts)


def _choices(
    apprentices: list[Apprentice], eligible: Mapping[str, list[str]]
) -> tuple[np.ndarray, np.ndarray, int]:
    """Who may live where, as index pairs: (apprentice rows, unit columns, number of units)."""
    arrays = getattr(eligible, "unit_arrays", None)
    if arrays is not None and all(a.id in arrays for a in apprentices):
        # The unit indexes kept by ``eligibility``: no string lookups (5 M of them in a region).
        parts = [arrays[a.id] for a in apprentices]
        found = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        units, cols = np.unique(found, return_inverse=True)
        rows = np.repeat(np.arange(len(apprentices)), [len(part) for part in parts])
        return rows, cols.reshape(-1), max(1, len(units))
    lists = [eligible[a.id] for a in apprentices]
    unit_index = {u: i for i, u in enumerate(dict.fromkeys(chain.from_iterable(lists)))}
    cols = np.fromiter((unit_index[u] for u in chain.from_iterable(lists)), dtype=np.int64)
    rows = np.repeat(np.arange(len(apprentices)), [len(units) for units in lists])
    return rows, cols, max(1, len(unit_index))


def _presence(apprentices: list[Apprentice]) -> np.ndarray:
    weeks = sorted({w for a in apprentices for w in a.weeks})
    week_index = {w: i for i, w in enumerate(weeks)}
    presence = np.zeros((len(apprentices), max(1, len(weeks))), dtype=np.float32)
    for i, a in enumerate(apprentices):
        presence[i, [week_index[w] for w in a.weeks]] = 1
    return presence


def conflicts(apprentices: list[Apprentice], eligible: Mapping[str, list[str]]) -> np.ndarray:
    """The conflict graph as a boolean matrix (no self-loops)."""
    presence = _presence(apprentices)
    rows, cols, units = _choices(apprentices, eligible)
    choice = np.zeros((len(apprentices), units), dtype=np.float32)
    choice[rows, cols] = 1
    lonely = np.array([not a.shares for a in apprentices])
    graph = (presence @ presence.T) > 0
    graph |= (choice @ choice.T) == 0  # dense: BLAS beats a sparse product on crowded tiles
    graph |= lonely[:, None] | lonely[None, :]
    np.fill_diagonal(graph, False)
    return np.asarray(graph, dtype=bool)


def _extend(graph: np.ndarray, clique: list[int]) -> list[int]:
    """Grow a clique greedily: add the candidate with the most neighbours among the candidates."""
    n = graph.shape[0]
    candidates = np.ones(n, dtype=bool)
    for member in clique:
        candidates &= graph[member]
    degree = graph[candidates].sum(axis=0, dtype=np.int32)
    clique = list(clique)
    while candidates.any():
        best = int(np.argmax(np.where(candidates, degree, -1)))
        clique.append(best)
        dropped = candidates & ~graph[best]
        candidates &= graph[best]
        degree -= graph[dropped].sum(axis=0, dtype=np.int32)
    return clique


def largest_clique_found(
    apprentices: list[Apprentice], eligible: Mapping[str, list[str]], *, effort: float = 1.0
) -> set[str]:
    """A large clique of conflicting apprentices (ids), from the busiest weeks and the most
    conflicting apprentices as starting points (fewer of them, and fewer swaps, with a lower
    ``effort``)."""
    if not apprentices:
        return set()
    graph = conflicts(apprentices, eligible)
    starts: list[list[int]] = []
    by_week: dict[int, list[int]] = defaultdict(list)
    for i, a in enumerate(apprentices):
        if a.shares:  # non-sharers conflict with everyone: the extension adds them anyway
            for week in a.weeks:
                by_week[week].append(i)
    busiest = sorted(by_week.values(), key=len, reverse=True)[:3]
    starts.extend(busiest)
    degree = graph.sum(axis=1)
    tries = max(1, int(effort * max(STARTS, WORK // len(apprentices))))
    starts.extend([int(i)] for i in np.argsort(-degree, kind="stable")[:tries])
    best: list[int] = []
    for start in starts:
        clique = _extend(graph, start)
        if len(clique) > len(best):
            best = clique
    rounds = int(effort * min(200, 200_000 // len(apprentices)))
    return {apprentices[i].id for i in _swap(graph, best, rounds=max(1, rounds))}


def _swap(graph: np.ndarray, clique: list[int], rounds: int = 200) -> list[int]:
    """Local search: take in an outsider who conflicts with all members but one, drop that one,
    and grow again; keep the largest clique seen."""
    best, current = list(clique), list(clique)
    tabu: set[int] = set()
    for _ in range(rounds):
        members = np.zeros(graph.shape[0], dtype=bool)
        members[current] = True
        # For each apprentice, the members they could share a bed with (rows: the graph is
        # symmetric, and a row slice is far cheaper than a column slice).
        missing = len(current) - graph[current].sum(axis=0, dtype=np.int32) - members
        outsiders = [
            int(v) for v in np.flatnonzero((missing == 1) & ~members) if int(v) not in tabu
        ]
        if not outsiders:
            break
        incoming = outsiders[0]
        leaving = next(m for m in current if not graph[incoming, m])
        tabu.add(leaving)
        current = _extend(graph, [m for m in current if m != leaving] + [incoming])
        if len(current) > len(best):
            best = list(current)
    return best


def _tiles(apprentices: list[Apprentice], size: int) -> list[list[Apprentice]]:
    """Split by location into groups of at most ``size``: halve at the median of the wider side."""
    if len(apprentices) <= size:
        return [apprentices]
    xs = [a.x for a in apprentices]
    ys = [a.y for a in apprentices]
    axis = 0 if max(xs) - min(xs) >= max(ys) - min(ys) else 1
    ordered = sorted(apprentices, key=lambda a: ((a.x, a.y)[axis], a.id))
    half = len(ordered) // 2
    return _tiles(ordered[:half], size) + _tiles(ordered[half:], size)


def clique_by_tiles(
    apprentices: list[Apprentice],
    eligible: Mapping[str, list[str]],
    size: int = CLIQUE_MAX,
    effort: float = 1.0,
) -> set[str]:
    """A clique in a cluster too large for one conflict matrix (a region): a clique per tile of
    the map, joined. Members of different tiles conflict unless they share an eligible unit, have
    no week in common and both share; such pairs (near the borders between tiles) are found with
    sparse products, and the member in the most of them is dropped until none is left."""
    members: list[Apprentice] = []
    tile_of: list[int] = []
    for number, tile in enumerate(_tiles(apprentices, size)):
        found = largest_clique_found(tile, eligible, effort=effort)
        for a in tile:
            if a.id in found:
                members.append(a)
                tile_of.append(number)
    if not members:
        return set()
    tiles = np.array(tile_of)
    rows, cols, units = _choices(members, eligible)
    # Units some members of two different tiles may live in: only there can two tiles' members
    # share a bed.
    low = np.full(units, len(members))
    high = np.full(units, -1)
    np.minimum.at(low, cols, tiles[rows])
    np.maximum.at(high, cols, tiles[rows])
    keep = (low != high)[cols]
    if not keep.any():
        return {a.id for a in members}
    border = csr_matrix(
        (np.ones(int(keep.sum()), dtype=np.int32), (rows[keep], cols[keep])),
        shape=(len(members), units),
    )
    together = (border @ border.T).tocoo()
    first, second = together.row, together.col
    cross = (first < second) & (tiles[first] != tiles[second])
    first, second = first[cross], second[cross]
    presence = _presence(members) > 0
    shares = np.array([a.shares for a in members])
    apart = ~(presence[first] & presence[second]).any(axis=1) & shares[first] & shares[second]
    clash: dict[int, set[int]] = defaultdict(set)
    for i, j in zip(first[apart].tolist(), second[apart].tolist(), strict=True):
        clash[i].add(j)
        clash[j].add(i)
    dropped: set[int] = set()
    while clash:
        worst = max(clash, key=lambda k: (len(clash[k]), -k))
        for other in clash.pop(worst):
            clash[other].discard(worst)
            if not clash[other]:
                del clash[other]
        dropped.add(worst)
    return {a.id for i, a in enumerate(members) if i not in dropped}


class LowerBound:
    """Computed once per instance; ``units_for(housed)`` gives the bound for the apprentices a
    solution houses (a subset of a clique is a clique; the peak is recounted)."""

    def __init__(
        self, parts: list[Instance], eligible: Mapping[str, list[str]], *, cliques: bool = True
    ) -> None:
        self.parts: list[tuple[list[Apprentice], set[str], list[int]]] = []
        for part in parts:
            housable = [a for a in part.apprentices if eligible[a.id]]
            if not housable or not part.units:
                continue
            clique: set[str]
            if not cliques:
                clique = set()
            elif len(housable) <= CLIQUE_MAX:
                clique = largest_clique_found(housable, eligible)
            else:
                clique = clique_by_tiles(housable, eligible, effort=TILE_EFFORT)
            sizes = sorted((u.beds for u in part.units), reverse=True)
            self.parts.append((housable, clique, sizes))

    def units_for(self, housed: Collection[str]) -> int:
        total = 0
        for apprentices, clique, sizes in self.parts:
            counts: dict[int, int] = defaultdict(int)
            for a in apprentices:
                if a.id in housed:
                    for week in a.weeks:
                        counts[week] += 1
            if not counts:
                continue
            need = max(max(counts.values()), sum(1 for a_id in clique if a_id in housed))
            beds = 0
            for size in sizes:
                if beds >= need:
                    break
                beds += size
                total += 1
        return total

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
from collections.abc import Collection

import numpy as np

from ancrage.allocation.engine.model import Apprentice

CLIQUE_MAX = 3000  # above this many apprentices in a cluster, only the peak week is used
STARTS = 8  # at least; small clusters start from every apprentice (a budget of about
WORK = 20000  # apprentices × starts)


def conflicts(apprentices: list[Apprentice], eligible: dict[str, list[str]]) -> np.ndarray:
    """The conflict graph as a boolean matrix (no self-loops)."""
    n = len(apprentices)
    weeks = sorted({w for a in apprentices for w in a.weeks})
    week_index = {w: i for i, w in enumerate(weeks)}
    presence = np.zeros((n, len(weeks)), dtype=np.float32)
    unit_index: dict[str, int] = {}
    rows, cols = [], []
    for i, a in enumerate(apprentices):
        presence[i, [week_index[w] for w in a.weeks]] = 1
        for unit_id in eligible[a.id]:
            rows.append(i)
            cols.append(unit_index.setdefault(unit_id, len(unit_index)))
    choice = np.zeros((n, max(1, len(unit_index))), dtype=np.float32)
    choice[rows, cols] = 1
    lonely = np.array([not a.shares for a in apprentices])
    graph = (presence @ presence.T) > 0
    graph |= (choice @ choice.T) == 0
    graph |= lonely[:, None] | lonely[None, :]
    np.fill_diagonal(graph, False)
    return graph


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


def largest_clique_found(apprentices: list[Apprentice], eligible) -> set[str]:
    """A large clique of conflicting apprentices (ids), from the busiest weeks and the most
    conflicting apprentices as starting points."""
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
    tries = max(STARTS, WORK // len(apprentices))
    starts.extend([int(i)] for i in np.argsort(-degree, kind="stable")[:tries])
    best: list[int] = []
    for start in starts:
        clique = _extend(graph, start)
        if len(clique) > len(best):
            best = clique
    rounds = min(200, 200_000 // len(apprentices))
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
        outsiders = np.flatnonzero((missing == 1) & ~members)
        outsiders = [int(v) for v in outsiders if int(v) not in tabu]
        if not outsiders:
            break
        incoming = outsiders[0]
        leaving = next(m for m in current if not graph[incoming, m])
        tabu.add(leaving)
        current = _extend(graph, [m for m in current if m != leaving] + [incoming])
        if len(current) > len(best):
            best = list(current)
    return best


class LowerBound:
    """Computed once per instance; ``units_for(housed)`` gives the bound for the apprentices a
    solution houses (a subset of a clique is a clique; the peak is recounted)."""

    def __init__(self, parts, eligible: dict[str, list[str]], *, cliques: bool = True):
        self.parts = []
        for part in parts:
            housable = [a for a in part.apprentices if eligible[a.id]]
            if not housable or not part.units:
                continue
            clique = (
                largest_clique_found(housable, eligible)
                if cliques and len(housable) <= CLIQUE_MAX
                else set()
            )
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

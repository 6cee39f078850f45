"""One interface for the three engines."""

from __future__ import annotations

import time

from ancrage.allocation.engine.common import clusters, eligibility, lower_bound, score
from ancrage.allocation.engine.exact import exact
from ancrage.allocation.engine.greedy import greedy, improve
from ancrage.allocation.engine.model import Instance, Solution

ENGINES = ("greedy", "exact", "hybrid")
EXACT_MAX_APPRENTICES = 200


def _better(instance, first, second) -> dict:
    """Of two assignments, the one that houses more, then costs less rent, then moves fewer."""

    def key(assignment):
        solution = score(instance, "", assignment, lower=0, seconds=0)
        return (-len(assignment), round(solution.rent, 2), solution.moves)

    return first if key(first) <= key(second) else second


def solve(instance: Instance, *, engine: str = "hybrid", time_limit: float = 30.0) -> Solution:
    if engine not in ENGINES:
        raise ValueError(f"Moteur inconnu « {engine} » : {', '.join(ENGINES)}.")
    instance.validate()
    started = time.monotonic()
    deadline = started + time_limit
    eligible = eligibility(instance)
    lower = lower_bound(instance, eligible)
    optimal = False
    if engine == "greedy":
        assignment = greedy(instance, eligible).assignment
    elif engine == "exact":
        hint = greedy(instance, eligible).assignment
        assignment, optimal = exact(instance, eligible, time_limit=time_limit, hint=hint)
        assignment = _better(instance, assignment, hint)
    else:
        assignment = {}
        parts = sorted(clusters(instance, eligible), key=lambda p: len(p.apprentices))
        total = max(1, sum(len(p.apprentices) for p in parts))
        optimal = True
        for part in parts:
            if not part.apprentices:
                continue
            budget = max(0.0, deadline - time.monotonic())
            share = budget * len(part.apprentices) / total
            total -= len(part.apprentices)
            packing = greedy(part, eligible)
            if len(part.apprentices) <= EXACT_MAX_APPRENTICES and share > 0.2:
                found, proven = exact(part, eligible, time_limit=share, hint=packing.assignment)
                best = _better(part, found, packing.assignment)
                optimal = optimal and proven and best is found
            else:
                improve(packing, time.monotonic() + share)
                best = packing.assignment
                optimal = False
            assignment.update(best)
    return score(
        instance,
        engine,
        assignment,
        lower=lower,
        seconds=time.monotonic() - started,
        optimal=optimal,
    )

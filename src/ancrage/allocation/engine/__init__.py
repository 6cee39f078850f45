"""Who shares which unit: an optimisation engine with no Django import.

Input: apprentices (presence weeks, where they must live, needs, current placement) and units (beds,
weekly rent, place). Output: apprentice → bed of a unit for all their presence weeks, the apprentices
left unhoused, a lower bound on the units needed and the gap. Objective, in this order: house as many
as possible; minimise the rent of the units used; keep placed apprentices where they are (fewest
moves); leave the fewest bed-weeks empty (docs/lifecycles.md says why moves come first).

Three engines behind one interface (``solve(instance, engine=…, time_limit=…)``): ``greedy``
(first-fit decreasing), ``exact`` (OR-Tools CP-SAT) and ``hybrid`` (the default: split into
independent clusters; on each, the better of first-fit and an opening by rent per bed, a quick
CP-SAT proof when the cluster is small, then a pass that empties units and a large neighbourhood
search that re-solves a few related units exactly, then CP-SAT on the whole small cluster; never
worse than greedy). The lower bound (``bound.py``) is the larger of the busiest week and a clique of
apprentices who can never share a bed.
"""

from typing import Any

from ancrage.allocation.engine.model import Apprentice, Instance, InvalidInstance, Solution, Unit


def __getattr__(name: str) -> Any:
    """``solve`` and ``ENGINES`` load OR-Tools and SciPy (≈ 100 MB): imported on first use, so that
    a web process or a worker that never allocates does not hold them."""
    if name in ("solve", "ENGINES"):
        from ancrage.allocation.engine import solver

        return getattr(solver, name)
    raise AttributeError(name)


__all__ = ["ENGINES", "Apprentice", "Instance", "InvalidInstance", "Solution", "Unit", "solve"]

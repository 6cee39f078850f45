"""Who shares which unit: an optimisation engine with no Django import.

Input: apprentices (presence weeks, where they must live, needs, current placement) and units (beds,
weekly rent, place). Output: apprentice → bed of a unit for all their presence weeks, the apprentices
left unhoused, a lower bound on the units needed and the gap. Objective, in this order: house as many
as possible; minimise the rent of the units used; keep placed apprentices where they are.

Three engines behind one interface (``solve(instance, engine=…, time_limit=…)``): ``greedy``
(first-fit decreasing), ``exact`` (OR-Tools CP-SAT) and ``hybrid`` (the default: split into
independent clusters, exact where small, greedy improved by local search where large, never worse
than greedy).
"""

from ancrage.allocation.engine.model import Apprentice, Instance, InvalidInstance, Solution, Unit
from ancrage.allocation.engine.solve import ENGINES, solve

__all__ = ["ENGINES", "Apprentice", "Instance", "InvalidInstance", "Solution", "Unit", "solve"]

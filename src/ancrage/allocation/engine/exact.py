"""OR-Tools CP-SAT: house the most, then the best ranked, then the least rent, then the fewest moves, then the fewest
empty bed-weeks; proven optimal when possible. The empty bed-weeks come in a second phase, once
the first two levels are proven."""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from ancrage.allocation.engine.model import Assignment, Instance, Unit

MIN_SECOND_PHASE = 0.05  # seconds: below, the second phase could not even load the model


def exact(
    instance: Instance,
    eligible: dict[str, list[str]],
    *,
    time_limit: float,
    hint: Assignment | None = None,
    workers: int = 2,
    on_progress: Callable[[], None] | None = None,
    empty_level: bool = True,
    work_limit: float | None = None,
) -> tuple[Assignment, bool]:
    """Returns (assignment, proven optimal). Falls back to the hint if no solution is found.
    ``on_progress`` is called at each line of the solver's log (a solution, a better bound…).
    ``empty_level``: with time left after a proof, a second phase minimises the empty
    bed-weeks without giving up anything on housing, rent or moves.
    ``work_limit``: CP-SAT's deterministic time (work done, whatever the machine's load) as a
    limit besides ``time_limit``: the same answer on a busy machine, for tests and benchmarks."""
    units = {u.id: u for u in instance.units}
    model = cp_model.CpModel()
    x: dict[tuple[str, str, int], cp_model.IntVar] = {}
    for a in instance.apprentices:
        for unit_id in eligible[a.id]:
            for bed in range(units[unit_id].beds):
                x[a.id, unit_id, bed] = model.new_bool_var(f"x_{a.id}_{unit_id}_{bed}")
    used = {u: model.new_bool_var(f"y_{u}") for u in units}
    by_bed: dict[tuple[str, int], list[tuple[str, frozenset[int]]]] = {}
    weeks_of = {a.id: a.weeks for a in instance.apprentices}
    for (a_id, unit_id, bed), var in x.items():
        by_bed.setdefault((unit_id, bed), []).append((a_id, weeks_of[a_id]))
        model.add_implication(var, used[unit_id])
    choices: dict[str, list[cp_model.IntVar]] = {}
    for (a_id, _unit_id, _bed), var in x.items():
        choices.setdefault(a_id, []).append(var)
    for variables in choices.values():
        model.add_at_most_one(variables)
    for (unit_id, bed), candidates in by_bed.items():
        weeks: dict[int, list[cp_model.IntVar]] = {}
        for a_id, presence in candidates:
            for week in presence:
                weeks.setdefault(week, []).append(x[a_id, unit_id, bed])
        for variables in weeks.values():
            if len(variables) > 1:
                model.add_at_most_one(variables)
    # Someone who does not share has the unit alone.
    for a in instance.apprentices:
        if a.shares:
            continue
        for unit_id in eligible[a.id]:
            mine = sum(x[a.id, unit_id, b] for b in range(units[unit_id].beds))
            for (other, u, _bed), var in x.items():
                if u == unit_id and other != a.id:
                    model.add(mine + var <= 1)
    rent = {u: int(round(units[u].weekly_rent * 100)) for u in units}
    n = len(instance.apprentices)
    current = {a.id: a.current_unit for a in instance.apprentices}
    # A placed apprentice who stays in their unit: every other outcome (another unit, or none)
    # is a move.
    stays = [var for (a_id, unit_id, _bed), var in x.items() if current[a_id] == unit_id]
    rent_weight = n + 1
    # Among solutions housing as many, the better ranked first (a weight falling with the
    # place on the waiting list), then the rent, then the moves.
    top = max((a.priority for a in instance.apprentices), default=0)
    rank_of = {a.id: top + 1 - a.priority for a in instance.apprentices}
    ranked = sum(rank_of[a_id] * var for (a_id, _u, _b), var in x.items())
    rank_weight = rent_weight * (sum(rent.values()) + 1)
    house_weight = rank_weight * (sum(rank_of.values()) + 1) + 1
    housed = sum(x.values())
    paid = sum(rent[u] * used[u] for u in units)
    model.maximize(house_weight * housed + rank_weight * ranked - rent_weight * paid + sum(stays))
    if hint:
        for (a_id, unit_id, bed), var in x.items():
            model.add_hint(var, int(hint.get(a_id) == (unit_id, bed)))
    time_limit = max(0.1, time_limit)
    deadline = time.monotonic() + time_limit
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    if work_limit is not None:
        solver.parameters.max_deterministic_time = work_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    if on_progress is not None:
        solver.parameters.log_search_progress = True
        solver.parameters.log_to_stdout = False
        solver.log_callback = lambda _line: on_progress()
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return dict(hint or {}), False
    assignment = {
        a_id: (unit_id, bed) for (a_id, unit_id, bed), var in x.items() if solver.value(var)
    }
    proven = status == cp_model.OPTIMAL
    left = deadline - time.monotonic()
    if proven and empty_level and left > MIN_SECOND_PHASE:
        # Second phase, once the first two levels are proven: keep as many housed and the
        # same rent, move the fewest, and then leave the fewest bed-weeks empty. Solving
        # every level in one objective made the 200-apprentice proofs far slower (measured in
        # docs/benchmarks.md), so they come one after the other.
        best = (
            len(assignment),
            int(round(solver.value(paid))),
            int(round(solver.value(ranked))),
        )
        if _fewest_empty_bed_weeks(model, x, units, weeks_of, (housed, paid, ranked), best, stays):
            model.clear_hints()
            for (a_id, unit_id, bed), var in x.items():
                model.add_hint(var, int(assignment.get(a_id) == (unit_id, bed)))
            solver.parameters.max_time_in_seconds = left
            status = solver.solve(model)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                assignment = {
                    a_id: (unit_id, bed)
                    for (a_id, unit_id, bed), var in x.items()
                    if solver.value(var)
                }
    return assignment, proven


def _fewest_empty_bed_weeks(
    model: cp_model.CpModel,
    x: dict[tuple[str, str, int], cp_model.IntVar],
    units: dict[str, Unit],
    weeks_of: dict[str, frozenset[int]],
    levels: tuple[cp_model.LinearExprT, cp_model.LinearExprT, cp_model.LinearExprT],
    best: tuple[int, int, int],
    stays: list[cp_model.IntVar],
) -> bool:
    """Turns ``model`` into the second phase; False when no unit could have an empty bed-week.

    A unit's beds count in every week one of its occupants is there. A studio never has an
    empty bed-week (its one bed is taken whenever it is in use), so only units of several beds
    get a variable per week: "in use that week"."""
    in_use: dict[tuple[str, int], list[cp_model.IntVar]] = {}
    for (a_id, unit_id, _bed), var in x.items():
        if units[unit_id].beds > 1:
            for week in weeks_of[a_id]:
                in_use.setdefault((unit_id, week), []).append(var)
    if not in_use:
        return False
    housed, paid, ranked = levels
    best_housed, best_paid, best_ranked = best
    model.add(housed >= best_housed)
    model.add(ranked >= best_ranked)
    model.add(paid <= best_paid)
    empty = []
    for (unit_id, week), variables in in_use.items():
        taken = model.new_bool_var(f"z_{unit_id}_{week}")
        model.add(sum(variables) <= units[unit_id].beds * taken)
        empty.append(units[unit_id].beds * taken)
    # Keeping a placed apprentice in their unit weighs more than any number of empty bed-weeks:
    # an empty bed-week costs no rent, a move costs someone their home.
    stay_weight = sum(units[u].beds for u, _week in in_use) + 1
    model.clear_objective()
    model.maximize(stay_weight * sum(stays) - sum(empty))
    return True

"""OR-Tools CP-SAT: house the most, then the least rent, then the fewest empty bed-weeks, then the
fewest moves; proven optimal when possible."""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from ancrage.allocation.engine.model import Instance


def exact(
    instance: Instance,
    eligible: dict[str, list[str]],
    *,
    time_limit: float,
    hint: dict[str, tuple[str, int]] | None = None,
    workers: int = 2,
    on_progress: Callable[[], None] | None = None,
) -> tuple[dict[str, tuple[str, int]], bool]:
    """Returns (assignment, proven optimal). Falls back to the hint if no solution is found.
    ``on_progress`` is called at each line of the solver's log (a solution, a better bound…)."""
    units = {u.id: u for u in instance.units}
    model = cp_model.CpModel()
    x: dict[tuple[str, str, int], cp_model.IntVar] = {}
    for a in instance.apprentices:
        for unit_id in eligible[a.id]:
            for bed in range(units[unit_id].beds):
                x[a.id, unit_id, bed] = model.NewBoolVar(f"x_{a.id}_{unit_id}_{bed}")
    used = {u: model.NewBoolVar(f"y_{u}") for u in units}
    by_bed: dict[tuple[str, int], list[tuple[str, frozenset[int]]]] = {}
    weeks_of = {a.id: a.weeks for a in instance.apprentices}
    for (a_id, unit_id, bed), var in x.items():
        by_bed.setdefault((unit_id, bed), []).append((a_id, weeks_of[a_id]))
        model.AddImplication(var, used[unit_id])
    choices: dict[str, list] = {}
    for (a_id, _unit_id, _bed), var in x.items():
        choices.setdefault(a_id, []).append(var)
    for variables in choices.values():
        model.AddAtMostOne(variables)
    for (unit_id, bed), candidates in by_bed.items():
        weeks: dict[int, list] = {}
        for a_id, presence in candidates:
            for week in presence:
                weeks.setdefault(week, []).append(x[a_id, unit_id, bed])
        for variables in weeks.values():
            if len(variables) > 1:
                model.AddAtMostOne(variables)
    # Someone who does not share has the unit alone.
    for a in instance.apprentices:
        if a.shares:
            continue
        for unit_id in eligible[a.id]:
            mine = sum(x[a.id, unit_id, b] for b in range(units[unit_id].beds))
            for (other, u, _bed), var in x.items():
                if u == unit_id and other != a.id:
                    model.Add(mine + var <= 1)
    rent = {u: int(round(units[u].weekly_rent * 100)) for u in units}
    n = len(instance.apprentices)
    current = {a.id: a.current_unit for a in instance.apprentices}
    # A placed apprentice who stays in their unit: every other outcome (another unit, or none)
    # is a move.
    stays = [var for (a_id, unit_id, _bed), var in x.items() if current[a_id] == unit_id]
    # Empty bed-weeks: a unit's beds count in every week one of its occupants is there. A studio
    # never has any (its one bed is taken whenever it is in use), so only units of several beds
    # get a variable per week: "in use that week".
    in_use: dict[tuple[str, int], list] = {}
    for (a_id, unit_id, _bed), var in x.items():
        if units[unit_id].beds > 1:
            for week in weeks_of[a_id]:
                in_use.setdefault((unit_id, week), []).append(var)
    empty_max = sum(units[u].beds for u, _week in in_use)
    empty_weight = n + 1
    rent_weight = empty_weight * (empty_max + 1)
    house_weight = rent_weight * (sum(rent.values()) + 1) + 1
    if house_weight * (n + 1) >= 2**62:
        # The weights of the three levels no longer fit in 64 bits (a whole region solved
        # exactly): empty bed-weeks are left out of the objective, still reported.
        in_use, empty_weight = {}, 0
        rent_weight = n + 1
        house_weight = rent_weight * (sum(rent.values()) + 1) + 1
    empty = []
    for (unit_id, week), variables in in_use.items():
        taken = model.NewBoolVar(f"z_{unit_id}_{week}")
        model.Add(sum(variables) <= units[unit_id].beds * taken)
        empty.append(units[unit_id].beds * taken)
    model.Maximize(
        house_weight * sum(x.values())
        - rent_weight * sum(rent[u] * used[u] for u in units)
        - empty_weight * sum(empty)
        + sum(stays)
    )
    if hint:
        for (a_id, unit_id, bed), var in x.items():
            model.AddHint(var, int(hint.get(a_id) == (unit_id, bed)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    if on_progress is not None:
        solver.parameters.log_search_progress = True
        solver.parameters.log_to_stdout = False
        solver.log_callback = lambda _line: on_progress()
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return dict(hint or {}), False
    assignment = {
        a_id: (unit_id, bed) for (a_id, unit_id, bed), var in x.items() if solver.Value(var)
    }
    return assignment, status == cp_model.OPTIMAL

"""Large neighbourhood search: free a few related units, solve them exactly, keep what is better.

A cluster of several hundred apprentices is too large for CP-SAT as a whole (its model has a
variable per apprentice, eligible unit and bed), but a neighbourhood of about ten units and the
apprentices in them is solved to optimality in milliseconds. Starting from the greedy packing, each
step picks a unit, adds the open units its apprentices could move to (those they share the most
eligible apprentices with), a few cheap closed units and the unhoused apprentices who could live
there, and re-solves that piece with the same lexicographic objective as the exact engine (house
the most, then the least rent, then the fewest moves). The change is applied only when it is not
worse, so the packing never degrades and the search drifts across equal solutions.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Collection

from ancrage.allocation.engine.exact import exact
from ancrage.allocation.engine.greedy import Packing
from ancrage.allocation.engine.model import Instance

OPEN_UNITS = 8
CLOSED_UNITS = 6
CLOSED_PER_PERSON = 2
MAX_APPRENTICES = 40
STEP_SECONDS = 1.0
STEP_WORK = 0.2  # CP-SAT deterministic time per piece, with a budget of steps


def _key(
    packing: Packing, people: Collection[str], units: Collection[str]
) -> tuple[int, float, int]:
    """What the neighbourhood is worth now: housed (more is better), rent, moves (fewer)."""
    housed = [p for p in people if p in packing.assignment]
    used = {packing.assignment[p][0] for p in housed}
    rent = round(sum(packing.units[u].weekly_rent for u in used if u in units), 2)
    moves = sum(
        1
        for p in people
        if packing.apprentices[p].current_unit is not None
        and packing.assignment.get(p, (None,))[0] != packing.apprentices[p].current_unit
    )
    return (-len(housed), rent, moves)


def improve_by_neighbourhoods(
    packing: Packing,
    deadline: float,
    *,
    seed: int = 0,
    patience: int | None = None,
    on_step: Callable[[], None] | None = None,
    max_steps: int | None = None,
) -> int:
    """Improves ``packing`` in place until ``deadline`` (or ``patience`` steps in a row without
    improvement); returns how many steps improved it. ``on_step`` is called after each step.
    ``max_steps``: a budget of steps, each piece solved with a fixed amount of CP-SAT work
    (``STEP_WORK``), so that the search does the same whatever the machine's load."""
    rng = random.Random(seed)  # noqa: S311 — a search order, not security
    eligible_here: dict[str, list[str]] = {}
    for apprentice_id, units in packing.eligible.items():
        if apprentice_id in packing.apprentices:
            for unit_id in units:
                eligible_here.setdefault(unit_id, []).append(apprentice_id)
    improvements = idle = steps = 0
    while time.monotonic() < deadline and (patience is None or idle < patience):
        if max_steps is not None and steps >= max_steps:
            break
        steps += 1
        idle += 1
        open_units = [u for u, people in packing.occupants.items() if people]
        waiting_now = [
            a for a in packing.apprentices if a not in packing.assignment and packing.eligible[a]
        ]
        if waiting_now and (not open_units or rng.random() < 0.5):
            # Someone is unhoused: free the open units where they would fit best.
            target = rng.choice(waiting_now)
            chosen, people = [], {target}
            candidates = packing.eligible[target]
        elif open_units:
            # A unit little used (the emptiest of three drawn), and where its people could go.
            first = min(rng.sample(open_units, min(3, len(open_units))), key=packing.fill)
            chosen, people = [first], set(packing.occupants[first])
            candidates = sorted({u for p in people for u in packing.eligible[p] if u != first})
        else:
            return improvements
        needed = 0
        for person in people:
            needed |= packing.masks[person]
        ranked = sorted(
            (u for u in candidates if packing.occupants[u] and u not in chosen),
            key=lambda u: (-packing.room(u, needed), rng.random()),
        )
        for unit_id in ranked:
            if len(chosen) >= OPEN_UNITS:
                break
            if len(people) + len(packing.occupants[unit_id]) > MAX_APPRENTICES:
                continue
            chosen.append(unit_id)
            people |= packing.occupants[unit_id]
        chosen_set = set(chosen)
        # For each person, the first closed units they could open (as greedy would), so that a
        # freed apprentice always has somewhere new to go.
        closed: set[str] = set()
        for person in sorted(people):
            offered = 0
            for unit_id in packing.openings(person):
                if offered == CLOSED_PER_PERSON:
                    break
                if not packing.occupants[unit_id]:
                    closed.add(unit_id)
                    offered += 1
        cheapest = sorted(
            closed, key=lambda u: (packing.units[u].weekly_rent / packing.units[u].beds, u)
        )[:CLOSED_UNITS]
        chosen_set.update(cheapest)
        waiting = {
            apprentice_id
            for unit_id in chosen_set
            for apprentice_id in eligible_here.get(unit_id, ())
            if apprentice_id not in packing.assignment
        }
        people |= set(sorted(waiting)[: max(0, MAX_APPRENTICES - len(people))])
        before = _key(packing, people, chosen_set)
        sub = Instance(
            apprentices=[packing.apprentices[p] for p in sorted(people)],
            units=[packing.units[u] for u in sorted(chosen_set)],
        )
        sub_eligible = {
            p: [u for u in packing.eligible[p] if u in chosen_set] for p in sorted(people)
        }
        hint = {p: packing.assignment[p] for p in people if p in packing.assignment}
        budget = min(STEP_SECONDS, deadline - time.monotonic())
        if budget <= 0.01:
            break
        # The pieces are solved on the first two levels only: a second phase on empty bed-weeks
        # would take the time of many more steps.
        found, _proven = exact(
            sub,
            sub_eligible,
            time_limit=budget,
            hint=hint,
            workers=1,
            empty_level=False,
            work_limit=STEP_WORK if max_steps is not None else None,
        )
        saved = dict(hint)
        for person in hint:
            packing.remove(person)
        for person, (unit_id, bed) in found.items():
            packing.place(person, unit_id, bed)
        after = _key(packing, people, chosen_set)
        if after > before:  # worse (time ran out before the hint was matched): undo
            for person in found:
                packing.remove(person)
            for person, (unit_id, bed) in saved.items():
                packing.place(person, unit_id, bed)
        elif after < before:
            improvements += 1
            idle = 0
        if on_step is not None:
            on_step()
    return improvements

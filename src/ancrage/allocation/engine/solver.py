"""One interface for the three engines."""

from __future__ import annotations

import time
from collections.abc import Callable

from ancrage.allocation.engine.bound import LowerBound
from ancrage.allocation.engine.common import (
    clusters,
    eligibility,
    honour_priorities,
    left_out_key,
    score,
)
from ancrage.allocation.engine.exact import exact
from ancrage.allocation.engine.greedy import Packing, greedy, improve
from ancrage.allocation.engine.lns import STEP_WORK, improve_by_neighbourhoods
from ancrage.allocation.engine.model import Assignment, Instance, Solution

ENGINES = ("greedy", "exact", "hybrid")
EXACT_MAX_APPRENTICES = 200
EMPTYING_SHARE = 0.8  # at most, of the search: the quick pass that empties units first
QUICK_PROOF = 0.3  # of a small cluster's time: CP-SAT first, often a proof with no search
PATIENCE = 300  # neighbourhoods in a row without improvement before CP-SAT takes over
LNS_SHARE = 0.6  # of a small cluster's time: neighbourhoods first, then CP-SAT on the whole


def _better(instance: Instance, first: Assignment, second: Assignment) -> Assignment:
    """Of two assignments, the one that houses more, then leaves out the lowest ranked, then
    costs less rent, moves fewer, leaves fewer bed-weeks empty."""

    def key(assignment: Assignment) -> tuple[int, tuple[int, ...], float, int, int]:
        solution = score(instance, "", assignment, lower=0, seconds=0)
        return (
            -len(assignment),
            left_out_key(instance, assignment),
            round(solution.rent, 2),
            solution.moves,
            solution.empty_bed_weeks,
        )

    return first if key(first) <= key(second) else second


class Progress:
    """Tells ``callback`` the share of the time limit spent, at most every ``every`` seconds: the
    hybrid and exact engines use their whole limit, so time is the honest measure of progress."""

    def __init__(
        self,
        callback: Callable[[float], None] | None,
        started: float,
        time_limit: float,
        every: float = 1.0,
    ) -> None:
        self.callback, self.started, self.time_limit, self.every = (
            callback,
            started,
            max(time_limit, 1e-9),
            every,
        )
        self.last: float | None = None  # the first call reports at once

    def __call__(self) -> None:
        now = time.monotonic()
        if self.callback is None or (self.last is not None and now - self.last < self.every):
            return
        self.last = now
        self.callback(min(1.0, (now - self.started) / self.time_limit))


def solve(
    instance: Instance,
    *,
    engine: str = "hybrid",
    time_limit: float = 30.0,
    progress: Callable[[float], None] | None = None,
    steps: int | None = None,
) -> Solution:
    """``progress``, if given, is called now and then with the share of the time limit spent.

    ``steps``: a budget of work instead of time (neighbourhood steps per search, and CP-SAT's
    deterministic time, ``STEP_WORK`` per step): the search then does the same on a loaded machine
    as on an idle one, ``time_limit`` being only a ceiling. Tests use it; users get time."""
    if engine not in ENGINES:
        raise ValueError(f"Moteur inconnu « {engine} » : {', '.join(ENGINES)}.")
    instance.validate()
    started = time.monotonic()
    report = Progress(progress, started, time_limit)
    # Keep time to score the solution and count its bound after the search (a second for
    # 20,000 apprentices), so that the whole answer comes within the limit.
    deadline = started + time_limit * 0.95 - 5e-5 * len(instance.apprentices)
    work = steps * STEP_WORK if steps is not None else None
    eligible = eligibility(instance)
    parts = clusters(instance, eligible)
    bound = LowerBound(parts, eligible)
    optimal = False
    report()
    if engine == "greedy":
        assignment = greedy(instance, eligible).assignment
    elif engine == "exact":
        hint = greedy(instance, eligible).assignment
        assignment, optimal = exact(
            instance,
            eligible,
            time_limit=deadline - time.monotonic(),
            hint=hint,
            on_progress=report,
            work_limit=work,
        )
        assignment = _better(instance, assignment, hint)
    else:
        assignment = {}
        parts = sorted(parts, key=lambda p: len(p.apprentices))
        total = max(1, sum(len(p.apprentices) for p in parts))
        optimal = True
        for part in parts:
            report()
            if not part.apprentices:
                continue
            budget = max(0.0, deadline - time.monotonic())
            share = budget * len(part.apprentices) / total
            total -= len(part.apprentices)
            start = time.monotonic()
            baseline = greedy(part, eligible)
            floor = dict(baseline.assignment)
            small = len(part.apprentices) <= EXACT_MAX_APPRENTICES and share > 0.2
            searched = start + share * (LNS_SHARE if small else 1.0)
            # Opening by rent per bed packs far better, but may leave someone unhoused that
            # first-fit houses: search from it for half the time, and go back to first-fit's
            # packing if the search has not housed as many by then.
            packing = greedy(part, eligible, per_bed=True)
            if small:
                # A small cluster is often proven optimal in a moment: then there is no search.
                found, proven = exact(
                    part,
                    eligible,
                    time_limit=share * QUICK_PROOF,
                    hint=packing.assignment,
                    on_progress=report,
                    work_limit=work,
                )
                if proven:
                    assignment.update(_better(part, found, floor))
                    continue
                if _better(part, found, packing.assignment) is found:
                    packing = Packing.of(part, eligible, found, per_bed=True)
            improve(packing, start + (searched - start) * EMPTYING_SHARE)
            report()
            patience = PATIENCE if small else None
            improve_by_neighbourhoods(
                packing,
                (start + searched) / 2,
                patience=patience,
                on_step=report,
                max_steps=steps,
            )
            if len(packing.assignment) < len(floor):
                packing = baseline
            improve_by_neighbourhoods(
                packing, searched, patience=patience, on_step=report, max_steps=steps
            )
            report()
            if small:
                found, proven = exact(
                    part,
                    eligible,
                    time_limit=start + share - time.monotonic(),
                    hint=packing.assignment,
                    on_progress=report,
                    work_limit=work,
                )
                best = _better(part, found, packing.assignment)
                optimal = optimal and proven and best is found
            else:
                best = packing.assignment
                optimal = False
            # Never worse than first-fit decreasing, whatever the search did.
            assignment.update(_better(part, best, floor))
    # Whatever the engine, nobody left out could take the bed of someone ranked after them.
    assignment = honour_priorities(instance, eligible, assignment)
    return score(
        instance,
        engine,
        assignment,
        lower=bound.units_for(assignment),
        seconds=time.monotonic() - started,
        optimal=optimal,
    )

"""Why this unit, or why no unit: one sentence per apprentice, in French, from the solution."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable

from ancrage.allocation.engine.common import eligibility
from ancrage.allocation.engine.model import Apprentice, Instance, Solution, week_runs


def _weeks_text(weeks: Iterable[int], label: Callable[[int], str] = str) -> str:
    """Weeks as ranges: {37, 38, 41} → "37–38, 41" (each end through ``label``)."""
    return ", ".join(
        f"{label(a)}" if a == b else f"{label(a)}–{label(b)}" for a, b in week_runs(weeks)
    )


_REGULAR = re.compile(r"\d+/\d+")  # a repeated rhythm: "2/2", "1/3"…


def _rhythm_and_weeks(apprentice: Apprentice, week_label: Callable[[int], str]) -> str:
    weeks = f"semaines {_weeks_text(apprentice.weeks, week_label)}"
    return f"{apprentice.rhythm}, {weeks}" if apprentice.rhythm else weeks


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} et {words[-1]}"


SHOWN_WEEKS = 6


def _some_weeks(
    weeks: list[int], label: Callable[[int], str], detail: Callable[[int], str] | None = None
) -> str:
    shown = [f"{label(w)}{detail(w) if detail else ''}" for w in weeks[:SHOWN_WEEKS]]
    more = len(weeks) - SHOWN_WEEKS
    return ", ".join(shown) + (f" et {more} autre{'s' if more > 1 else ''}" if more > 0 else "")


def _left_out(
    apprentice: Apprentice,
    instance: Instance,
    solution: Solution,
    eligible: dict[str, list[str]],
    *,
    unit_name: Callable[[str], str],
    week_label: Callable[[int], str],
    who_may: dict[str, set[str]],
    weeks_of: dict[str, frozenset[int]],
) -> str:
    """Why someone with eligible units is not housed, exactly: the weeks of theirs where more
    people could use those units than they have beds, the unit that came nearest (free on most of
    their weeks) and the weeks that clash there, whether housing more is proven impossible, and
    their place on the waiting list."""
    units = {u.id: u for u in instance.units}
    mine = set(eligible[apprentice.id])
    beds = sum(units[u].beds for u in mine)
    present: Counter[int] = Counter()
    for other in set().union(*(who_may[u] for u in mine)):
        present.update(weeks_of[other] & apprentice.weeks)
    over = sorted(w for w in apprentice.weeks if present[w] > beds)
    parts = []
    if over:
        parts.append(
            "Plus de demandes que de lits les semaines "
            + _some_weeks(
                over,
                week_label,
                lambda w: f" ({present[w]} pour {beds} lit{'s' if beds > 1 else ''})",
            )
        )
    taken: dict[tuple[str, int], set[int]] = {}
    for other_id, place in solution.assignment.items():
        if place[0] in mine:
            taken.setdefault(place, set()).update(weeks_of[other_id] & apprentice.weeks)
    nearest = min(
        ((unit_id, bed) for unit_id in sorted(mine) for bed in range(units[unit_id].beds)),
        key=lambda place: (len(taken.get(place, set())), place),
    )
    clash = sorted(taken.get(nearest, set()))
    free = len(apprentice.weeks) - len(clash)
    parts.append(
        f"au plus près : {unit_name(nearest[0])}, libre {free} de ses {len(apprentice.weeks)} "
        f"semaines, pris les semaines {_some_weeks(clash, week_label)}"
    )
    if solution.optimal:
        parts.append("loger une personne de plus est impossible (maximum prouvé)")
    if apprentice.priority > 0:
        parts.append(
            f"rang {apprentice.priority} sur la liste d'attente : retirer une personne moins bien "
            "classée ne libère pas de lit pour toutes ses semaines"
        )
    text = " ; ".join(parts)
    return text[0].upper() + text[1:] + "."


def explain(
    instance: Instance,
    solution: Solution,
    *,
    name: Callable[[str], str] = str,
    unit_name: Callable[[str], str] = str,
    week_label: Callable[[int], str] = str,
    distances: bool = True,
) -> dict[str, str]:
    """``name``, ``unit_name`` and ``week_label`` turn engine ids into what a user reads."""
    apprentices = {a.id: a for a in instance.apprentices}
    units = {u.id: u for u in instance.units}
    eligible = eligibility(instance)
    together: dict[str, list[str]] = {}
    for apprentice_id, (unit_id, _bed) in solution.assignment.items():
        together.setdefault(unit_id, []).append(apprentice_id)
    reasons = {}
    who_may: dict[str, set[str]] | None = None  # unit → who may live there, built when needed
    weeks_of: dict[str, frozenset[int]] | None = None
    for apprentice_id, (unit_id, _bed) in solution.assignment.items():
        apprentice, unit = apprentices[apprentice_id], units[unit_id]
        distance = math.hypot(apprentice.x - unit.x, apprentice.y - unit.y)
        others = sorted(p for p in together[unit_id] if p != apprentice_id)
        if others:
            rhythms = [apprentice.rhythm] + [apprentices[other].rhythm for other in others]
            if all(_REGULAR.fullmatch(r) for r in rhythms):
                # "2/2" says it all; each person's weeks are listed with their own placement.
                shared = _and([name(other) for other in others])
                why = f"rythmes complémentaires {_and(rhythms)}, sans semaine commune"
            else:
                shared = _and(
                    [
                        f"{name(other)} ({_rhythm_and_weeks(apprentices[other], week_label)})"
                        for other in others
                    ]
                )
                why = "sans semaine commune"
            text = f"{unit_name(unit_id)} partagé avec {shared} : {why}"
        elif not apprentice.shares:
            text = f"{unit_name(unit_id)}, seul·e : ne souhaite pas partager"
        else:
            text = f"{unit_name(unit_id)}, seul·e"
        if apprentice.needs_accessible:
            text += " ; logement accessible"
        if distances:
            text += f" ; à {distance:.1f} km du lieu de formation"
        if apprentice.current_unit == unit_id:
            text += " ; reste dans son logement actuel"
        elif apprentice.current_unit:
            text += f" ; quitte {unit_name(apprentice.current_unit)}"
        reasons[apprentice_id] = text + "."
    for apprentice_id in solution.unhoused:
        apprentice = apprentices[apprentice_id]
        if not eligible[apprentice_id]:
            need = " accessible" if apprentice.needs_accessible else ""
            if distances:
                where = f"à moins de {apprentice.max_km:.0f} km du lieu de formation"
            else:
                where = "dans les résidences demandées"
            reasons[apprentice_id] = f"Aucun logement{need} {where}."
            continue
        closed = [u for u in eligible[apprentice_id] if u not in together]
        if closed:
            reasons[apprentice_id] = (
                f"Non logé·e alors que {len(closed)} logement(s) éligible(s) restent vides : "
                "la limite de temps de calcul a été atteinte."
            )
            continue
        if who_may is None:
            who_may = {}
            for other_id, places in eligible.items():
                for unit_id in places:
                    who_may.setdefault(unit_id, set()).add(other_id)
            weeks_of = {a.id: a.weeks for a in instance.apprentices}
        reasons[apprentice_id] = _left_out(
            apprentice,
            instance,
            solution,
            eligible,
            unit_name=unit_name,
            week_label=week_label,
            who_may=who_may,
            weeks_of=weeks_of or {},
        )
    return reasons

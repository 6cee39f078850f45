"""First-fit decreasing, with presence weeks as bit masks, and a local search that empties units."""

from __future__ import annotations

import time
from collections.abc import Iterable

from ancrage.allocation.engine.model import Apprentice, Assignment, Instance

FEW_CHOICES = 10


def mask_of(weeks: Iterable[int]) -> int:
    mask = 0
    for week in weeks:
        mask |= 1 << week
    return mask


class Packing:
    """Beds as bit masks of the weeks they are taken; units open or not, shared or exclusive."""

    def __init__(
        self, instance: Instance, eligible: dict[str, list[str]], *, per_bed: bool = False
    ) -> None:
        self.instance = instance
        self.per_bed = per_bed
        self.eligible = eligible
        self.units = {u.id: u for u in instance.units}
        self.apprentices = {a.id: a for a in instance.apprentices}
        self.masks = {a.id: mask_of(a.weeks) for a in instance.apprentices}
        self.beds = {u.id: [0] * u.beds for u in instance.units}
        self.occupants: dict[str, set[str]] = {u.id: set() for u in instance.units}
        self.exclusive: set[str] = set()  # units hosting someone who does not share
        self.assignment: dict[str, tuple[str, int]] = {}
        self._openings: dict[str, list[str]] = {}

    def free_bed(self, apprentice_id: str, unit_id: str) -> int | None:
        apprentice = self.apprentices[apprentice_id]
        if unit_id in self.exclusive:
            return None
        if not apprentice.shares and self.occupants[unit_id]:
            return None
        mask = self.masks[apprentice_id]
        for index, taken in enumerate(self.beds[unit_id]):
            if not taken & mask:
                return index
        return None

    @classmethod
    def of(
        cls,
        instance: Instance,
        eligible: dict[str, list[str]],
        assignment: Assignment,
        *,
        per_bed: bool = False,
    ) -> Packing:
        """A packing holding ``assignment`` (from another engine), to search from."""
        packing = cls(instance, eligible, per_bed=per_bed)
        for apprentice_id, (unit_id, bed) in assignment.items():
            packing.place(apprentice_id, unit_id, bed)
        return packing

    def _weeks_in_use(self, unit_id: str) -> int:
        span = 0
        for taken in self.beds[unit_id]:
            span |= taken
        return span.bit_count()

    def fill(self, unit_id: str) -> float:
        """Share of the unit's bed-weeks taken (of the weeks anyone in it is present)."""
        beds = self.beds[unit_id]
        return sum(t.bit_count() for t in beds) / max(1, self._weeks_in_use(unit_id) * len(beds))

    def empty_bed_weeks(self, unit_id: str) -> int:
        """Beds free in the weeks someone is in the unit (none in a studio, whose bed is taken
        whenever it is in use)."""
        beds = self.beds[unit_id]
        return self._weeks_in_use(unit_id) * len(beds) - sum(t.bit_count() for t in beds)

    def room(self, unit_id: str, mask: int) -> int:
        """How many of the weeks in ``mask`` the unit's freest bed has free."""
        return max((mask & ~taken).bit_count() for taken in self.beds[unit_id])

    def place(self, apprentice_id: str, unit_id: str, bed: int) -> None:
        self.beds[unit_id][bed] |= self.masks[apprentice_id]
        self.occupants[unit_id].add(apprentice_id)
        if not self.apprentices[apprentice_id].shares:
            self.exclusive.add(unit_id)
        self.assignment[apprentice_id] = (unit_id, bed)

    def remove(self, apprentice_id: str) -> None:
        unit_id, bed = self.assignment.pop(apprentice_id)
        self.beds[unit_id][bed] &= ~self.masks[apprentice_id]
        self.occupants[unit_id].discard(apprentice_id)
        if not self.apprentices[apprentice_id].shares:
            self.exclusive.discard(unit_id)

    def openings(self, apprentice_id: str) -> list[str]:
        """Units to open for an apprentice, best first: the cheapest (first-fit decreasing), or with
        ``per_bed``, for someone who shares, the lowest rent per bed (a flat of three at 120 € a
        week houses more than a studio at 90 €); someone who does not share takes the unit alone,
        so the cheapest one."""
        if not self.per_bed or not self.apprentices[apprentice_id].shares:
            return self.eligible[apprentice_id]
        order = self._openings.get(apprentice_id)
        if order is None:
            order = sorted(
                self.eligible[apprentice_id],
                key=lambda u: (self.units[u].weekly_rent / self.units[u].beds, u),
            )
            self._openings[apprentice_id] = order
        return order

    def insert(
        self, apprentice_id: str, *, open_new: bool = True, avoid: str | None = None
    ) -> bool:
        """Best fit among open eligible units (the bed already taken the most weeks, so that free
        weeks are not scattered; the cheaper unit on a tie), else open a closed one (see ``openings``)."""
        candidates = self.eligible[apprentice_id]
        mask = self.masks[apprentice_id]
        best = None
        if self.apprentices[apprentice_id].shares:
            for unit_id in candidates:
                if unit_id == avoid or not self.occupants[unit_id] or unit_id in self.exclusive:
                    continue
                for index, taken in enumerate(self.beds[unit_id]):
                    if not taken & mask:
                        fill = taken.bit_count()
                        if best is None or fill > best[0]:
                            best = (fill, unit_id, index)
        if best is not None:
            self.place(apprentice_id, best[1], best[2])
            return True
        if open_new:
            for unit_id in self.openings(apprentice_id):
                if unit_id != avoid and not self.occupants[unit_id]:
                    self.place(apprentice_id, unit_id, 0)
                    return True
        return False


def greedy(instance: Instance, eligible: dict[str, list[str]], *, per_bed: bool = False) -> Packing:
    packing = Packing(instance, eligible, per_bed=per_bed)
    # Stability first: placed apprentices stay in their unit when it still fits them.
    placed = [a for a in instance.apprentices if a.current_unit in eligible[a.id]]
    for apprentice in sorted(placed, key=lambda a: (-len(a.weeks), a.id)):
        current = apprentice.current_unit
        if current is None:  # never: placed means in a unit they are eligible for
            continue
        bed = packing.free_bed(apprentice.id, current)
        if bed is not None:
            packing.place(apprentice.id, current, bed)
    rest = [a for a in instance.apprentices if a.id not in packing.assignment]

    # Decreasing: the longest presences first; non-sharers before, as they need a whole unit.
    # With ``per_bed``, those with few eligible units (an accessible one, a remote school) come
    # first as well, before the flats they need are shared out.
    def order(a: Apprentice) -> tuple[bool, bool, int, str]:
        constrained = per_bed and len(eligible[a.id]) < FEW_CHOICES
        return (a.shares, not constrained, -len(a.weeks), a.id)

    for apprentice in sorted(rest, key=order):
        packing.insert(apprentice.id)
    return packing


def improve(packing: Packing, deadline: float) -> None:
    """Local search: try to empty the least-filled units by moving their apprentices into other
    open units; a move is kept only if the whole unit empties (never worse, never unhouses)."""
    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        open_units = sorted(
            (u for u, people in packing.occupants.items() if people),
            key=lambda u: (len(packing.occupants[u]), -packing.units[u].weekly_rent),
        )
        for unit_id in open_units:
            if time.monotonic() >= deadline:
                return
            people = sorted(packing.occupants[unit_id])
            if any(packing.apprentices[p].current_unit == unit_id for p in people):
                continue  # keep placed apprentices where they are
            saved = {p: packing.assignment[p] for p in people}
            for person in people:
                packing.remove(person)
            moved = []
            for person in sorted(people, key=lambda p: -len(packing.apprentices[p].weeks)):
                if packing.insert(person, open_new=False, avoid=unit_id):
                    moved.append(person)
                else:
                    break
            if len(moved) == len(people):
                improved = True
                continue
            for person in moved:
                packing.remove(person)
            for person, (unit, bed) in saved.items():
                packing.place(person, unit, bed)

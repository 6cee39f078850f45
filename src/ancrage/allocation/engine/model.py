"""The data of an allocation problem and of its solution."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any


class InvalidInstance(ValueError):
    """The input cannot be solved as given; the message says which apprentice or unit and why."""


@dataclass(frozen=True)
class Apprentice:
    id: str
    weeks: frozenset[int]  # presence weeks (e.g. ISO week numbers or week indexes), non-empty
    x: float = 0.0  # where the apprentice must live (km, any projection), usually the school
    y: float = 0.0
    max_km: float = 15.0
    needs_accessible: bool = False
    shares: bool = True  # accepts to share a unit with others (on other weeks)
    current_unit: str | None = None
    # The places (residences, cities…) the apprentice accepts, if limited; a unit with another
    # ``place`` is not eligible, however near.
    places: frozenset[str] | None = None
    # The rhythm as users name it ("2/2", "1/3", "calendrier de l'école"…), for explanations only.
    rhythm: str = ""
    # Who is housed first when not everyone fits: 0 for a resident already in a unit, else the
    # place on the residence's waiting list (1 is first). Equal values: no preference.
    priority: int = 0


@dataclass(frozen=True)
class Unit:
    id: str
    beds: int = 1
    weekly_rent: float = 100.0
    x: float = 0.0
    y: float = 0.0
    accessible: bool = False
    place: str | None = None
    # The weeks the unit exists (in service), if not all: only someone present on none of the
    # other weeks may live there.
    weeks: frozenset[int] | None = None


@dataclass
class Instance:
    apprentices: list[Apprentice]
    units: list[Unit]

    def validate(self) -> None:
        seen = set()
        for a in self.apprentices:
            if a.id in seen:
                raise InvalidInstance(f"Alternant·e « {a.id} » en double.")
            seen.add(a.id)
            if not a.weeks:
                raise InvalidInstance(f"Alternant·e « {a.id} » : aucune semaine de présence.")
            if a.max_km < 0:
                raise InvalidInstance(f"Alternant·e « {a.id} » : distance maximale négative.")
        unit_ids = set()
        for u in self.units:
            if u.id in unit_ids:
                raise InvalidInstance(f"Logement « {u.id} » en double.")
            unit_ids.add(u.id)
            if u.beds < 1:
                raise InvalidInstance(f"Logement « {u.id} » : au moins un lit.")
            if u.weekly_rent < 0:
                raise InvalidInstance(f"Logement « {u.id} » : loyer négatif.")

    def eligible(self, apprentice: Apprentice, unit: Unit) -> bool:
        if apprentice.needs_accessible and not unit.accessible:
            return False
        if apprentice.places is not None and unit.place not in apprentice.places:
            return False
        if unit.weeks is not None and not apprentice.weeks <= unit.weeks:
            return False
        return math.hypot(apprentice.x - unit.x, apprentice.y - unit.y) <= apprentice.max_km

    def beds(self) -> list[tuple[str, int]]:
        """Every bed as (unit id, bed index): beds are the bins of the packing."""
        return [(u.id, b) for u in self.units for b in range(u.beds)]

    def to_json(self) -> dict[str, Any]:
        """The instance as JSON values (week sets as sorted lists), for a worker to solve it."""

        def plain(item: Apprentice | Unit) -> dict[str, Any]:
            return {
                key: sorted(value) if isinstance(value, frozenset) else value
                for key, value in asdict(item).items()
            }

        return {
            "apprentices": [plain(a) for a in self.apprentices],
            "units": [plain(u) for u in self.units],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Instance:
        def sets(values: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
            return {
                key: frozenset(value) if key in names and value is not None else value
                for key, value in values.items()
            }

        return cls(
            apprentices=[Apprentice(**sets(a, ("weeks", "places"))) for a in data["apprentices"]],
            units=[Unit(**sets(u, ("weeks",))) for u in data["units"]],
        )


# Apprentice id → (unit id, bed index).
Assignment = dict[str, tuple[str, int]]


@dataclass
class Solution:
    engine: str
    assignment: dict[str, tuple[str, int]]  # apprentice id → (unit id, bed index)
    unhoused: list[str]
    units_used: int
    rent: float  # weekly rent of the units used (each unit is paid every week of the period)
    empty_bed_weeks: int
    lower_bound: int
    seconds: float
    optimal: bool = False
    moves: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def gap(self) -> float:
        """Units used above the lower bound, as a fraction of the bound."""
        if self.lower_bound == 0:
            return 0.0
        return (self.units_used - self.lower_bound) / self.lower_bound


def week_runs(weeks: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive weeks as (first, last) runs: {37, 38, 41} → [(37, 38), (41, 41)]."""
    runs: list[tuple[int, int]] = []
    for week in sorted(weeks):
        if runs and week == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], week)
        else:
            runs.append((week, week))
    return runs

"""Synthetic, seeded instances: schools in a region, apprentices on alternation rhythms, units
around the schools. The same seed gives the same instance on every machine."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from ancrage.allocation.engine.model import Apprentice, Instance, Unit

RHYTHMS = {"1/1": (1, 1), "2/2": (2, 2), "1/3": (1, 3), "3/1": (3, 1), "2/4": (2, 4)}


@dataclass(frozen=True)
class Params:
    apprentices: int = 200
    schools: int = 4
    weeks: int = 40  # a school year
    rhythm_mix: tuple[tuple[str, float], ...] = (
        ("2/2", 0.35),
        ("1/1", 0.2),
        ("1/3", 0.2),
        ("3/1", 0.1),
        ("2/4", 0.15),
    )
    noise: float = 0.03  # chance that a week flips (exam, holiday, calendar change)
    supply: float = 0.75  # units per apprentice, before sharing
    bed_mix: tuple[tuple[int, float], ...] = ((1, 0.85), (2, 0.1), (3, 0.05))
    rent: tuple[float, float] = (85.0, 140.0)
    region_km: float = 150.0
    spread_km: float = 8.0
    max_km: tuple[float, float] = (10.0, 20.0)
    accessible_share: float = 0.04
    non_sharing_share: float = 0.03


T = TypeVar("T")


def _choice(rng: random.Random, mix: Sequence[tuple[T, float]]) -> T:
    roll, total = rng.random(), 0.0
    for value, weight in mix:
        total += weight
        if roll < total:
            return value
    return mix[-1][0]


def generate(params: Params = Params(), *, seed: int = 0) -> Instance:  # noqa: B008
    rng = random.Random(seed)  # noqa: S311 — synthetic data, not security
    schools = [
        (rng.uniform(0, params.region_km), rng.uniform(0, params.region_km))
        for _ in range(params.schools)
    ]
    weights = [rng.uniform(0.5, 1.5) for _ in schools]
    apprentices = []
    for index in range(params.apprentices):
        school = rng.choices(range(len(schools)), weights)[0]
        sx, sy = schools[school]
        rhythm = _choice(rng, params.rhythm_mix)
        school_weeks, company_weeks = RHYTHMS[rhythm]
        cycle = school_weeks + company_weeks
        phase = rng.randrange(cycle)
        weeks = {w for w in range(params.weeks) if (w + phase) % cycle < school_weeks}
        weeks ^= {w for w in range(params.weeks) if rng.random() < params.noise}
        if not weeks:
            weeks = {rng.randrange(params.weeks)}
        apprentices.append(
            Apprentice(
                id=f"a{index}",
                weeks=frozenset(weeks),
                x=sx + rng.uniform(-2, 2),
                y=sy + rng.uniform(-2, 2),
                max_km=rng.uniform(*params.max_km),
                needs_accessible=rng.random() < params.accessible_share,
                shares=rng.random() >= params.non_sharing_share,
                rhythm=rhythm,
            )
        )
    units = []
    count = math.ceil(params.apprentices * params.supply)
    for index in range(count):
        sx, sy = schools[rng.choices(range(len(schools)), weights)[0]]
        angle, radius = rng.uniform(0, 2 * math.pi), rng.uniform(0, params.spread_km)
        units.append(
            Unit(
                id=f"u{index}",
                beds=_choice(rng, params.bed_mix),
                weekly_rent=round(rng.uniform(*params.rent), 2),
                x=sx + radius * math.cos(angle),
                y=sy + radius * math.sin(angle),
                accessible=rng.random() < params.accessible_share * 3,
            )
        )
    return Instance(apprentices=apprentices, units=units)
